"""Forms of the way to publication: the practice form with its result rows and files
(`practice`), and the small forms of review, validation, withdrawal and transfer (`steps`)."""
