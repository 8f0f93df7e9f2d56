from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # People join Mreža through an invitation from their coordinator, never by open sign-up.
        return False
