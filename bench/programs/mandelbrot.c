/* Mandelbrot set escape times in double precision, then a 5-point stencil smoothing of the result. */
#include <stdio.h>
#include <stdlib.h>
#include "bench_util.h"

#define WIDTH 800
#define HEIGHT 600
#define MAX_ITER 300
#define SMOOTH_STEPS 20

static int escape_time(double cr, double ci) {
    double zr = 0, zi = 0;
    int n = 0;
    while (n < MAX_ITER && zr * zr + zi * zi <= 4.0) {
        double t = zr * zr - zi * zi + cr;
        zi = 2 * zr * zi + ci;
        zr = t;
        n++;
    }
    return n;
}

int main(void) {
    double *grid = malloc(sizeof(double) * WIDTH * HEIGHT);
    double *next = malloc(sizeof(double) * WIDTH * HEIGHT);
    if (!grid || !next) return 1;
    uint64_t inside = 0, iterations = 0;
    for (int y = 0; y < HEIGHT; y++)
        for (int x = 0; x < WIDTH; x++) {
            int n = escape_time(-2.2 + 3.0 * x / WIDTH, -1.2 + 2.4 * y / HEIGHT);
            inside += n == MAX_ITER;
            iterations += (uint64_t)n;
            grid[y * WIDTH + x] = n;
        }
    for (int step = 0; step < SMOOTH_STEPS; step++) {
        for (int y = 0; y < HEIGHT; y++)
            for (int x = 0; x < WIDTH; x++) {
                int i = y * WIDTH + x;
                if (x == 0 || y == 0 || x == WIDTH - 1 || y == HEIGHT - 1) { next[i] = grid[i]; continue; }
                next[i] = 0.5 * grid[i] + 0.125 * (grid[i - 1] + grid[i + 1] + grid[i - WIDTH] + grid[i + WIDTH]);
            }
        double *t = grid; grid = next; next = t;
    }
    double total = 0;
    for (int i = 0; i < WIDTH * HEIGHT; i++) total += grid[i];
    printf("mandelbrot: %dx%d max %d inside %llu iterations %llu smoothed total %.6f\n", WIDTH, HEIGHT, MAX_ITER,
           (unsigned long long)inside, (unsigned long long)iterations, total);
    free(grid);
    free(next);
    return 0;
}
