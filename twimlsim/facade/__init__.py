"""The parts of ``Simulator`` (``twimlsim.simulator``), one job each: setting up the account
(``accounts``), the app and the far ends (``far_end``), and reading what happened
(``inspection``). ``Simulator`` inherits them: use it, not these classes."""
