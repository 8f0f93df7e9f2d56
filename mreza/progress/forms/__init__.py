"""The forms of step 3, one module per part (plan, meetings, exchange, discussion...)."""
