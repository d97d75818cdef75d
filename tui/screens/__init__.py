"""Screens over the main view: the training and lesson screens (both a ``SessionScreen``,
kept up to date by the app's ``SessionController``), help, the pickers, the prompts, the edit
form and the file dialogs, one a module. The package imports none of them, so a dialog is loaded
when it is first opened and the first frame comes sooner."""
