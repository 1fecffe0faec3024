// Dense double-precision linear algebra: matrix multiply, LU decomposition with partial
// pivoting, and the solution of a linear system, all in nested loops over linear memory.
#include <math.h>
#include <stdio.h>

#define N 48

static double a[N][N], b[N][N], c[N][N], lu[N][N];
static int perm[N];

static void multiply(double (*x)[N], double (*y)[N], double (*out)[N]) {
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            double s = 0;
            for (int k = 0; k < N; k++) s += x[i][k] * y[k][j];
            out[i][j] = s;
        }
}

// Returns the determinant's sign-adjusted log magnitude pieces through the pivot product.
static double decompose(void) {
    double det = 1;
    for (int i = 0; i < N; i++) perm[i] = i;
    for (int col = 0; col < N; col++) {
        int pivot = col;
        for (int r = col + 1; r < N; r++)
            if (fabs(lu[r][col]) > fabs(lu[pivot][col])) pivot = r;
        if (pivot != col) {
            for (int k = 0; k < N; k++) { double t = lu[col][k]; lu[col][k] = lu[pivot][k]; lu[pivot][k] = t; }
            int t = perm[col]; perm[col] = perm[pivot]; perm[pivot] = t;
            det = -det;
        }
        det *= lu[col][col];
        for (int r = col + 1; r < N; r++) {
            double f = lu[r][col] /= lu[col][col];
            for (int k = col + 1; k < N; k++) lu[r][k] -= f * lu[col][k];
        }
    }
    return det;
}

static void solve(const double *rhs, double *x) {
    for (int i = 0; i < N; i++) {
        double s = rhs[perm[i]];
        for (int k = 0; k < i; k++) s -= lu[i][k] * x[k];
        x[i] = s;
    }
    for (int i = N - 1; i >= 0; i--) {
        double s = x[i];
        for (int k = i + 1; k < N; k++) s -= lu[i][k] * x[k];
        x[i] = s / lu[i][i];
    }
}

int main(void) {
    unsigned s = 99;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            s = s * 1664525u + 1013904223u;
            a[i][j] = (double)(s >> 8) / 16777216.0 - 0.5 + (i == j ? 4.0 : 0.0);
            b[i][j] = sin(i * 0.25 + j * 0.5);
        }
    multiply(a, b, c);
    double trace = 0, total = 0;
    for (int i = 0; i < N; i++) {
        trace += c[i][i];
        for (int j = 0; j < N; j++) total += c[i][j];
    }
    printf("product trace=%.17g total=%.17g c[3][7]=%.17g\n", trace, total, c[3][7]);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) lu[i][j] = a[i][j];
    printf("det=%.17g\n", decompose());
    double rhs[N], x[N], residual = 0;
    for (int i = 0; i < N; i++) rhs[i] = i % 5 - 2.0;
    solve(rhs, x);
    for (int i = 0; i < N; i++) {
        double s2 = -rhs[i];
        for (int k = 0; k < N; k++) s2 += a[i][k] * x[k];
        residual = fmax(residual, fabs(s2));
    }
    printf("x[0]=%.17g x[%d]=%.17g residual below 1e-12: %d\n", x[0], N - 1, x[N - 1], residual < 1e-12);
    return 0;
}
