// Much more output than any stdio buffer, through printf, puts, putchar and fwrite, with
// writes to stderr interleaved (only stdout is compared).
#include <stdio.h>

int main(void) {
    unsigned x = 1;
    for (int i = 0; i < 20000; i++) {
        x = x * 1103515245u + 12345u;
        printf("%6d %08x %s\n", i, x, (x >> 31) ? "odd-ish" : "even-ish");
        if (i % 5000 == 0) fprintf(stderr, "progress %d\n", i);
    }
    for (int i = 0; i < 1000; i++) {
        for (int c = 0; c < 70; c++) putchar('a' + (i + c) % 26);
        putchar('\n');
    }
    static char block[65536 + 17];
    for (unsigned i = 0; i < sizeof block; i++) block[i] = (i % 64 == 63) ? '\n' : (char)('0' + i % 10);
    size_t written = fwrite(block, 1, sizeof block, stdout);
    puts("");
    puts("done");
    return written != sizeof block;
}
