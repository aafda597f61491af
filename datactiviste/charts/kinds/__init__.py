"""One module per chart kind: each draws its plot into the canvas area it is given.

Every drawer has the signature `draw(canvas, top, height, spec, data, labeller, colours)`.
"""
