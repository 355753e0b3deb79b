using System;

namespace DiffGen.Tests.Optimization;

/// <summary>
/// The torch.optim update rules written out by hand, one scalar double loop per rule, as the reference the optimizers
/// are checked against (torch/optim/sgd.py, adam.py and adamw.py, single-tensor code path of torch 1.13).
/// </summary>
internal static class TorchRules
{
    /// <summary>torch.optim.SGD; the momentum buffer is None (null) until a parameter's first step.</summary>
    public sealed class Sgd(double lr, double momentum, double dampening, double weightDecay, bool nesterov, bool maximize)
    {
        private double[]?[]? _buffers;

        public double[]? Buffer(int k) => _buffers?[k];

        public void Step(double[][] theta, double[][] grads)
        {
            _buffers ??= new double[theta.Length][];
            for (int k = 0; k < theta.Length; k++)
            {
                double[] p = theta[k];
                bool first = _buffers[k] is null;
                double[] buf = _buffers[k] ??= new double[p.Length];
                for (int i = 0; i < p.Length; i++)
                {
                    // d_p = d_p if not maximize else -d_p
                    double d = maximize ? -grads[k][i] : grads[k][i];

                    // if weight_decay != 0: d_p = d_p.add(param, alpha=weight_decay)
                    if (weightDecay != 0)
                    {
                        d = d + (weightDecay * p[i]);
                    }

                    if (momentum != 0)
                    {
                        // if buf is None: buf = torch.clone(d_p).detach()   (first step: no dampening)
                        // else: buf.mul_(momentum).add_(d_p, alpha=1 - dampening)
                        buf[i] = first ? d : (momentum * buf[i]) + ((1 - dampening) * d);

                        // if nesterov: d_p = d_p.add(buf, alpha=momentum) else: d_p = buf
                        d = nesterov ? d + (momentum * buf[i]) : buf[i];
                    }

                    // param.add_(d_p, alpha=-lr)
                    p[i] = p[i] - (lr * d);
                }
            }
        }
    }

    /// <summary>torch.optim.Adam (<paramref name="decoupled"/> false) and torch.optim.AdamW (true).</summary>
    public sealed class Adam(double lr, double beta1, double beta2, double eps, double weightDecay, bool amsgrad, bool maximize, bool decoupled)
    {
        private double[][]? _m;
        private double[][]? _v;
        private double[][]? _vmax;
        private int _step;

        public double[] M(int k) => _m![k];

        public double[] V(int k) => _v![k];

        public void Step(double[][] theta, double[][] grads)
        {
            _m ??= Zeros(theta);
            _v ??= Zeros(theta);
            _vmax ??= Zeros(theta);
            _step++;
            double biasCorrection1 = 1 - Math.Pow(beta1, _step);
            double biasCorrection2 = 1 - Math.Pow(beta2, _step);
            double stepSize = lr / biasCorrection1;
            double biasCorrection2Sqrt = Math.Sqrt(biasCorrection2);
            for (int k = 0; k < theta.Length; k++)
            {
                double[] p = theta[k];
                for (int i = 0; i < p.Length; i++)
                {
                    // grad = grad if not maximize else -grad
                    double g = maximize ? -grads[k][i] : grads[k][i];
                    if (decoupled)
                    {
                        // AdamW: param.mul_(1 - lr * weight_decay)
                        p[i] = p[i] * (1 - (lr * weightDecay));
                    }
                    else if (weightDecay != 0)
                    {
                        // Adam: grad = grad.add(param, alpha=weight_decay)
                        g = g + (weightDecay * p[i]);
                    }

                    // exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
                    _m[k][i] = (beta1 * _m[k][i]) + ((1 - beta1) * g);

                    // exp_avg_sq.mul_(beta2).addcmul_(grad, grad.conj(), value=1 - beta2)
                    _v[k][i] = (beta2 * _v[k][i]) + ((1 - beta2) * g * g);

                    double vhat = _v[k][i];
                    if (amsgrad)
                    {
                        // torch.maximum(max_exp_avg_sqs[i], exp_avg_sq, out=max_exp_avg_sqs[i])
                        _vmax[k][i] = Math.Max(_vmax[k][i], _v[k][i]);
                        vhat = _vmax[k][i];
                    }

                    // denom = (vhat.sqrt() / bias_correction2_sqrt).add_(eps)
                    double denom = (Math.Sqrt(vhat) / biasCorrection2Sqrt) + eps;

                    // param.addcdiv_(exp_avg, denom, value=-step_size)
                    p[i] = p[i] - (stepSize * (_m[k][i] / denom));
                }
            }
        }

        private static double[][] Zeros(double[][] like)
        {
            var z = new double[like.Length][];
            for (int k = 0; k < like.Length; k++)
            {
                z[k] = new double[like[k].Length];
            }

            return z;
        }
    }
}
