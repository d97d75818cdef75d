"""The math views: the inspector, the gradient check and the cost landscape, shown one at a
time in place of the loss plot and the gradients, with their keys (i, c, L, m, [, ], f, B, F,
pgup, pgdn). ``desk.MathDesk`` is the widget the training screen holds; ``panels`` computes
and draws the view shown, in Textual thread workers."""
