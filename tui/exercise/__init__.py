"""Build it yourself, in the app: ``x`` grades the learner's numpy backprop (the network
exercise of ``python -m core exercise``) against the live network, in a child process,
and grades it again each time the file is saved."""
