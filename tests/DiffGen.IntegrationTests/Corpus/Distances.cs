using System;
using System.Linq;
using DiffGen;

namespace DiffGen.IntegrationTests.Corpus;

public static partial class Distances
{
    [Differentiable]
    public static double Euclidean(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = a[i] - b[i];
            sum += d * d;
        }

        return Math.Sqrt(sum);
    }

    [Differentiable(nameof(x))]
    public static double MahalanobisDiagonal(double[] x, double[] mean, double[] variance) =>
        Math.Sqrt(x.Select((v, i) => (v - mean[i]) * (v - mean[i]) / variance[i]).Sum());

    private const double EarthRadiusKm = 6371.0;

    private static double ToRadians(double degrees) => degrees * Math.PI / 180;

    [Differentiable]
    public static double Haversine(double lat1, double lon1, double lat2, double lon2)
    {
        double dLat = ToRadians(lat2 - lat1);
        double dLon = ToRadians(lon2 - lon1);
        double a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2)
            + Math.Cos(ToRadians(lat1)) * Math.Cos(ToRadians(lat2)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        double c = 2 * Math.Atan2(Math.Sqrt(a), Math.Sqrt(1 - a));
        return EarthRadiusKm * c;
    }

    [Differentiable]
    public static double CosineDistance(double[] a, double[] b)
    {
        double dot = a.Zip(b, (x, y) => x * y).Sum();
        double na = Math.Sqrt(a.Sum(x => x * x));
        double nb = Math.Sqrt(b.Sum(y => y * y));
        return 1 - dot / (na * nb);
    }
}
