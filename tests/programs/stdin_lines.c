// Reads stdin to the end with fgets, like wc: lines, words, bytes, the longest line, and a
// checksum of the contents; lines longer than the buffer arrive in pieces.
#include <ctype.h>
#include <stdio.h>
#include <string.h>

int main(void) {
    char buf[32];
    unsigned long lines = 0, words = 0, bytes = 0, longest = 0, current = 0, checksum = 0;
    int in_word = 0;
    while (fgets(buf, sizeof buf, stdin)) {
        size_t n = strlen(buf);
        bytes += n;
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)buf[i];
            checksum = checksum * 131 + c;
            if (isspace(c)) in_word = 0;
            else if (!in_word) { in_word = 1; words++; }
        }
        current += n;
        if (n > 0 && buf[n - 1] == '\n') {
            lines++;
            if (current - 1 > longest) longest = current - 1;
            printf("line %lu: %lu chars\n", lines, current - 1);
            current = 0;
        }
    }
    if (current > 0) {
        printf("last line without newline: %lu chars\n", current);
        if (current > longest) longest = current;
    }
    printf("lines=%lu words=%lu bytes=%lu longest=%lu checksum=%lu eof=%d error=%d\n", lines,
           words, bytes, longest, checksum, feof(stdin) != 0, ferror(stdin) != 0);
    return 0;
}
