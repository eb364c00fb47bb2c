/* version.h: the qmsim version. */
#ifndef QMSIM_VERSION_H
#define QMSIM_VERSION_H
#define QMSIM_VERSION "0.1.0"
#endif
