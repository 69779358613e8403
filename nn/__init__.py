"""nn: MLPs, the course's losses, optimizers and training loop, built on `autograd.Value`.

`nn.closed_form` contains the same forward and backward passes as numpy batch formulas, to check
the engine against and to time it against.
"""

from nn import closed_form
from nn.activations import log_softmax, softmax
from nn.data import batches
from nn.layers import Layer, Neuron
from nn.losses import (
    PROBABILITY_EPS,
    bce_loss,
    bce_with_logits_loss,
    cce_loss,
    cross_entropy_loss,
    mse_loss,
)
from nn.mlp import MLP
from nn.module import Module
from nn.optim import SGD, Adam, Optimizer
from nn.training import History, fit

__all__ = [
    "MLP",
    "PROBABILITY_EPS",
    "SGD",
    "Adam",
    "History",
    "Layer",
    "Module",
    "Neuron",
    "Optimizer",
    "batches",
    "bce_loss",
    "bce_with_logits_loss",
    "cce_loss",
    "closed_form",
    "cross_entropy_loss",
    "fit",
    "log_softmax",
    "mse_loss",
    "softmax",
]
