/* replay.c: runs files through the fuzz target without libFuzzer, so that
 * the normal (and sanitizer) test suite replays the seed corpus and every
 * regression (tests/fuzz/README.md).
 * usage: fuzz_replay [--valid] FILE|DIR... [--any FILE|DIR...]
 * Exit 0 when every input went through (a crash aborts), and every input
 * after --valid (until --any) loaded as a valid scenario. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern int qm_fuzz_outcome;

static int must_load;   /* --valid: the scenario reader must accept the inputs */

/* Feeds one file to the target.  Returns 0, or -1 when it cannot be read. */
static int replay(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    size_t cap = 4096, n = 0, k;
    uint8_t *buf = malloc(cap);
    while (buf && (k = fread(buf + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap) {
            uint8_t *b = realloc(buf, cap *= 2);
            if (!b) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = b;
        }
    }
    int bad = ferror(f) || !buf;
    fclose(f);
    if (bad) {
        fprintf(stderr, "%s: cannot read\n", path);
        free(buf);
        return -1;
    }
    static const char *const what[] = {"refused", "loaded", "loaded and ran"};
    printf("%s (%zu bytes): ", path, n);
    fflush(stdout);
    LLVMFuzzerTestOneInput(buf, n);
    free(buf);
    printf("%s\n", what[qm_fuzz_outcome]);
    if (must_load && qm_fuzz_outcome == 0) {
        fprintf(stderr, "%s: a seed must be a valid scenario\n", path);
        return -1;
    }
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file in a directory, in name order (README files aside). */
static int replay_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        perror(dir);
        return -1;
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || !strncmp(e->d_name, "README", 6))
            continue;
        char **b = realloc(names, (n + 1) * sizeof *names);
        if (!b)
            break;
        names = b;
        names[n] = malloc(strlen(dir) + strlen(e->d_name) + 2);
        if (!names[n])
            break;
        sprintf(names[n++], "%s/%s", dir, e->d_name);
    }
    closedir(d);
    if (n > 1)
        qsort(names, n, sizeof *names, by_name);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode) && replay(names[i]) != 0)
            rc = -1;
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    int rc = 0, files = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (!strcmp(argv[i], "--valid") || !strcmp(argv[i], "--any")) {
            must_load = argv[i][2] == 'v';
            continue;
        }
        if (stat(argv[i], &st) != 0) {
            perror(argv[i]);
            rc = 1;
        } else if (S_ISDIR(st.st_mode)) {
            rc |= replay_dir(argv[i]) != 0;
        } else {
            rc |= replay(argv[i]) != 0;
        }
        files++;
    }
    if (!files) {
        fprintf(stderr, "usage: fuzz_replay [--valid] FILE|DIR... [--any FILE|DIR...]\n");
        return 2;
    }
    return rc;
}
