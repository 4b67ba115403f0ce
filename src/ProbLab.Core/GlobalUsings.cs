// System.Numerics.Tensors also defines a `Tensor` type; inside ProbLab, `Tensor` always means ours.
global using Tensor = ProbLab.Tensors.Tensor;
