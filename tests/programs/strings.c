// The string functions of libc: length, comparison, search, formatting and parsing.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>

static const char *const words[] = {"", "a", "abc", "abd", "ab", "Hello, World", "hello",
                                    "needle in a haystack", "zzz"};
#define NWORDS (sizeof words / sizeof words[0])

static int sign(int v) { return (v > 0) - (v < 0); }

int main(void) {
    for (unsigned i = 0; i < NWORDS; i++) {
        printf("strlen(\"%s\")=%zu", words[i], strlen(words[i]));
        for (unsigned j = 0; j < NWORDS; j++) printf(" %d", sign(strcmp(words[i], words[j])));
        printf("\n");
    }
    const char *hay = "the quick brown fox jumps over the lazy dog";
    const char *needles[] = {"the", "fox", "dog", "cat", "", "lazy dog", "o"};
    for (unsigned i = 0; i < sizeof needles / sizeof needles[0]; i++) {
        const char *hit = strstr(hay, needles[i]);
        printf("strstr \"%s\": %ld\n", needles[i], hit ? (long)(hit - hay) : -1L);
    }
    printf("strchr o=%ld strrchr o=%ld strspn=%zu strcspn=%zu\n", (long)(strchr(hay, 'o') - hay),
           (long)(strrchr(hay, 'o') - hay), strspn(hay, "the "), strcspn(hay, "xyz"));

    const char *numbers[] = {"0", "42", "-17", "  +123abc", "0x1F", "077", "2147483647",
                             "-2147483648", "99999999999999999999", "junk", "9223372036854775807"};
    for (unsigned i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
        char *end;
        errno = 0;
        long long v = strtoll(numbers[i], &end, 0);
        int err = errno;
        long v10 = strtol(numbers[i], NULL, 10);
        unsigned long u16 = strtoul(numbers[i], NULL, 16);
        printf("strtoll(\"%s\")=%lld rest=\"%s\" erange=%d strtol10=%ld strtoul16=%lu atoi=%d\n",
               numbers[i], v, end, err == ERANGE, v10, u16, atoi(numbers[i]));
    }
    printf("strtod %.17g %.17g %.17g\n", strtod("3.14159", NULL), strtod("-1e-5", NULL),
           strtod("0x1.8p3", NULL));

    char buf[64];
    int n = snprintf(buf, sizeof buf, "%5d|%-5d|%05d|%x|%X|%o|%c|%s|%.3s|%%", 42, 42, 42, 255, 255,
                     8, 'q', "str", "truncate");
    printf("snprintf %d \"%s\"\n", n, buf);
    n = snprintf(buf, 10, "%s", "a string longer than ten bytes");
    printf("snprintf truncated %d \"%s\"\n", n, buf);
    n = snprintf(buf, sizeof buf, "%e %g %.2f %10.4f %+d", 12345.678, 0.0001234, 2.675, -3.14159, 7);
    printf("snprintf floats %d \"%s\"\n", n, buf);

    char copy[64];
    strcpy(copy, "Mixed Case Text 123");
    for (char *p = copy; *p; p++) *p = (char)(isupper((unsigned char)*p) ? tolower(*p) : toupper(*p));
    printf("swapcase \"%s\"\n", copy);
    memmove(copy + 2, copy, 10);
    printf("memmove \"%s\" memcmp=%d\n", copy, sign(memcmp(copy, "mimi", 4)));
    strncat(copy, "-tail-end", 5);
    printf("strncat \"%s\" len=%zu\n", copy, strlen(copy));

    char sentence[] = "split,these;words  ,into;tokens";
    int count = 0;
    for (char *tok = strtok(sentence, ",; "); tok; tok = strtok(NULL, ",; "))
        printf("token %d: %s\n", count++, tok);
    return 0;
}
