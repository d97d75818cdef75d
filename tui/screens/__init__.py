"""Screens over the main view: the training and lesson screens (both a ``SessionScreen``,
whose training keys are ``TrainingCommands``), help, the pickers, the prompts, the edit form
and the file dialogs, one a module. The package imports none of them, so a dialog is loaded
when it is first opened and the first frame comes sooner."""
