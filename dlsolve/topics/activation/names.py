"""The activation topic's functions by name, without NumPy (the exercise generator needs them
before anything is computed)."""

FUNCTIONS = ("sigmoid", "tanh", "relu", "leaky-relu", "prelu", "relu6", "elu", "swish", "hard-swish", "softmax")
TITLES = {"sigmoid": "Sigmoid", "tanh": "Tanh", "relu": "ReLU", "leaky-relu": "Leaky ReLU", "prelu": "PReLU", "relu6": "ReLU6",
          "elu": "ELU", "swish": "Swish (SiLU)", "hard-swish": "Hard-swish", "softmax": "Softmax"}
ALPHA_OF = {"leaky-relu": "alpha", "prelu": "prelu_alpha", "elu": "elu_alpha"}  # the input that sets each function's α

