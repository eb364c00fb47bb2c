/* version.h: the qmsim version: QMSIM_VERSION is the version a program was
 * compiled against, qm_version() the version of the library it runs with
 * (src/core/version.c); an embedder can compare the two. */
#ifndef QMSIM_VERSION_H
#define QMSIM_VERSION_H
#define QMSIM_VERSION "0.1.0"

/* The library's version string, as QMSIM_VERSION was when it was built.
 * Cannot fail; the string is static. */
const char *qm_version(void);
#endif
