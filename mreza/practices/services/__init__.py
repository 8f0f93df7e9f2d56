"""Good practices: every state change (drafting, the way to publication, transfer offers).

`drafting` writes a practice (its text, results, areas, files) and updates a published one;
`workflow` takes it through submission, review, validation and withdrawal; `transfer` offers help,
takes requests (as step-2 partnerships) and records adoptions. All raise `PracticeError` with a
sentence for the user when a step cannot be taken."""

from mreza.practices.services.common import PracticeError

__all__ = ["PracticeError"]
