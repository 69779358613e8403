"""nn: MLPs, losses and optimizers built on `autograd.Value`."""
