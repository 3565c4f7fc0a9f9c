package dev.spindle.eval;

/**
 * The unbiased pass@k estimator of Chen et al. (2021), "Evaluating Large Language Models Trained on
 * Code": from {@code n} graded attempts of which {@code c} passed, the chance that at least one of
 * {@code k} attempts drawn without replacement passes, {@code 1 - C(n-c, k) / C(n, k)}, computed as a
 * product so that large {@code n} neither overflows nor loses precision.
 */
public final class PassAtK {
    private PassAtK() {}

    public static double estimate(int n, int c, int k) {
        if (k < 1 || k > n || c < 0 || c > n) {
            throw new IllegalArgumentException("pass@" + k + " needs 1 <= k <= n and 0 <= c <= n (n=" + n + ", c=" + c + ")");
        }
        if (n - c < k) {
            return 1.0;
        }
        double allFail = 1.0;
        for (int i = n - c + 1; i <= n; i++) {
            allFail *= 1.0 - (double) k / i;
        }
        return 1.0 - allFail;
    }
}
