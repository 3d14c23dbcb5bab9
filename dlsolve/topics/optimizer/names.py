"""The methods' names, the states each keeps and the slips each can suffer: plain data,
without NumPy, so the exercise generator reads them without importing it."""

METHODS = ("gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
NAMES = {"gd": "GD", "momentum": "Momentum", "nesterov": "Nesterov", "adagrad": "AdaGrad", "rmsprop": "RMSProp", "adam": "Adam"}
STATES = {"gd": (), "momentum": ("v",), "nesterov": ("v",), "adagrad": ("G",), "rmsprop": ("v",), "adam": ("m", "v", "m_hat", "v_hat")}
CARRIED = {"gd": (), "momentum": ("v",), "nesterov": ("v",), "adagrad": ("G",), "rmsprop": ("v",), "adam": ("m", "v")}  # what the next step reads

# the slips a step can be worked with (see slips.py): the name and the methods it concerns
SLIPS = {
    "momentum-form": ("momentum", "nesterov"),
    "no-bias-correction": ("adam",),
    "eps-inside-root": ("adagrad", "rmsprop", "adam"),
    "g-not-squared": ("adagrad", "rmsprop", "adam"),
    "adagrad-no-root": ("adagrad",),
    "update-sign": METHODS,
}
