// SPDX-License-Identifier: GPL-2.0
/* trace.dat version 6 writer (include/netlat/tracedat.h; layout: trace-cmd.dat.v6(5)). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <tracefs.h>

#include "netlat/recording.h"
#include "netlat/tracedat.h"
#include "netlat/util.h"

#define MAX_EVENTS	64

struct nl_tracedat {
	char *path;
	int ncpus, page_size;
	FILE **cpu;			/* one temporary file of pages per CPU, already unlinked */
	uint64_t *cpu_bytes;
	uint64_t pages;
	int err;			/* the first write error, reported by finish */
	struct { char system[64], name[64]; } ev[MAX_EVENTS];
	size_t nev;
};

/* An unlinked temporary file beside path: the pages never land in /tmp by surprise. */
static FILE *temp_beside(const char *path)
{
	char *t = NULL;
	FILE *f = NULL;
	int fd;

	if (asprintf(&t, "%s.cpuXXXXXX", path) < 0)
		return NULL;
	fd = mkstemp(t);
	if (fd >= 0) {
		unlink(t);
		f = fdopen(fd, "w+");
		if (!f)
			close(fd);
	}
	free(t);
	return f;
}

int nl_tracedat_open(struct nl_tracedat **out, const char *path, int ncpus, int page_size,
		     char *why, size_t whylen)
{
	struct nl_tracedat *w = nl_xcalloc(1, sizeof(*w));

	w->path = nl_xstrdup(path);
	w->ncpus = ncpus;
	w->page_size = page_size;
	w->cpu = nl_xcalloc((size_t)ncpus, sizeof(*w->cpu));
	w->cpu_bytes = nl_xcalloc((size_t)ncpus, sizeof(*w->cpu_bytes));
	for (int i = 0; i < ncpus; i++) {
		w->cpu[i] = temp_beside(path);
		if (!w->cpu[i]) {
			int err = -errno;

			snprintf(why, whylen, "cannot write beside '%s': %s", path, strerror(errno));
			nl_tracedat_abort(w);
			return err ? err : -EIO;
		}
	}
	*out = w;
	return 0;
}

int nl_tracedat_page(struct nl_tracedat *w, int cpu, const void *page)
{
	if (cpu < 0 || cpu >= w->ncpus)
		return -EINVAL;
	if (fwrite(page, 1, (size_t)w->page_size, w->cpu[cpu]) != (size_t)w->page_size) {
		if (!w->err)
			w->err = -errno ? -errno : -EIO;
		return w->err;
	}
	w->cpu_bytes[cpu] += (uint64_t)w->page_size;
	w->pages++;
	return 0;
}

void nl_tracedat_event(struct nl_tracedat *w, const char *system, const char *name)
{
	for (size_t i = 0; i < w->nev; i++)
		if (!strcmp(w->ev[i].system, system) && !strcmp(w->ev[i].name, name))
			return;
	if (w->nev == MAX_EVENTS)
		return;
	snprintf(w->ev[w->nev].system, sizeof(w->ev[w->nev].system), "%s", system);
	snprintf(w->ev[w->nev].name, sizeof(w->ev[w->nev].name), "%s", name);
	w->nev++;
}

uint64_t nl_tracedat_pages(const struct nl_tracedat *w)
{
	return w->pages;
}

/* Numbers in the host's byte order: the header says which (the endian byte). */
static void put32(FILE *f, uint32_t v) { fwrite(&v, sizeof(v), 1, f); }
static void put64(FILE *f, uint64_t v) { fwrite(&v, sizeof(v), 1, f); }

/* A tracefs file as (8- or 4-byte size, content); empty when unreadable. */
static void put_file(FILE *f, const char *file, int size_bytes)
{
	int size = 0;
	char *buf = tracefs_instance_file_read(NULL, file, &size);

	if (!buf)
		size = 0;
	if (size_bytes == 8)
		put64(f, (uint64_t)size);
	else
		put32(f, (uint32_t)size);
	if (size)
		fwrite(buf, 1, (size_t)size, f);
	free(buf);
}

static void put_event_formats(FILE *f, const struct nl_tracedat *w)
{
	const char *systems[MAX_EVENTS];
	size_t nsys = 0;

	for (size_t i = 0; i < w->nev; i++) {
		size_t k;

		for (k = 0; k < nsys && strcmp(systems[k], w->ev[i].system); k++)
			;
		if (k == nsys)
			systems[nsys++] = w->ev[i].system;
	}
	put32(f, (uint32_t)nsys);
	for (size_t k = 0; k < nsys; k++) {
		uint32_t n = 0;

		fwrite(systems[k], 1, strlen(systems[k]) + 1, f);
		for (size_t i = 0; i < w->nev; i++)
			n += !strcmp(w->ev[i].system, systems[k]);
		put32(f, n);
		for (size_t i = 0; i < w->nev; i++) {
			char *fmt;
			int size = 0;

			if (strcmp(w->ev[i].system, systems[k]))
				continue;
			fmt = tracefs_event_file_read(NULL, w->ev[i].system, w->ev[i].name, "format", &size);
			put64(f, fmt ? (uint64_t)size : 0);
			if (fmt)
				fwrite(fmt, 1, (size_t)size, f);
			free(fmt);
		}
	}
}

/* Everything before the CPU data, up to and including "flyrecord\0". */
static void put_header(FILE *f, const struct nl_tracedat *w)
{
	static const char magic[] = { 0x17, 0x08, 0x44, 't', 'r', 'a', 'c', 'i', 'n', 'g' };
	const uint16_t probe = 1;

	fwrite(magic, 1, sizeof(magic), f);
	fwrite("6", 1, 2, f);
	fputc(*(const uint8_t *)&probe ? 0 : 1, f);	/* 0: little endian */
	fputc((int)sizeof(long), f);
	put32(f, (uint32_t)w->page_size);
	fwrite("header_page", 1, 12, f);
	put_file(f, "events/header_page", 8);
	fwrite("header_event", 1, 13, f);
	put_file(f, "events/header_event", 8);
	put32(f, 0);				/* no ftrace (function tracer) formats */
	put_event_formats(f, w);
	put32(f, 0);				/* no kallsyms: the events hold no function addresses to name */
	put32(f, 0);				/* no trace_printk formats */
	put_file(f, "saved_cmdlines", 8);
	put32(f, (uint32_t)w->ncpus);
	fwrite("flyrecord", 1, 10, f);
}

static int copy_cpu(FILE *out, FILE *in)
{
	char buf[65536];
	size_t n;

	rewind(in);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			return -EIO;
	return ferror(in) ? -EIO : 0;
}

int nl_tracedat_finish(struct nl_tracedat *w, char *why, size_t whylen)
{
	char *head = NULL, *tmp = NULL;
	size_t hlen = 0;
	uint64_t off;
	FILE *h, *out = NULL;
	int err = w->err;

	h = open_memstream(&head, &hlen);
	if (!h || asprintf(&tmp, "%s.tmp", w->path) < 0) {
		err = -ENOMEM;
		goto out;
	}
	put_header(h, w);
	fclose(h);
	h = NULL;
	if (!err) {
		out = fopen(tmp, "w");
		if (!out)
			err = -errno;
	}
	if (!err) {
		fwrite(head, 1, hlen, out);
		/* each CPU's pages start on a page boundary after the table of (offset, size) */
		off = hlen + 16ULL * (uint64_t)w->ncpus;
		off = (off + (uint64_t)w->page_size - 1) / (uint64_t)w->page_size * (uint64_t)w->page_size;
		for (int i = 0; i < w->ncpus; i++) {
			put64(out, off);
			put64(out, w->cpu_bytes[i]);
			off += w->cpu_bytes[i];
		}
		while ((uint64_t)ftell(out) % (uint64_t)w->page_size)
			fputc(0, out);
		for (int i = 0; i < w->ncpus && !err; i++)
			err = copy_cpu(out, w->cpu[i]);
		if (fclose(out) && !err)
			err = -errno;
		out = NULL;
	}
	if (!err)
		err = nl_rec_backup_old(w->path);
	if (!err && rename(tmp, w->path) < 0)
		err = -errno;
out:
	if (err) {
		snprintf(why, whylen, "cannot write '%s': %s", w->path, strerror(-err));
		if (tmp)
			unlink(tmp);
	}
	if (h)
		fclose(h);
	free(head);
	free(tmp);
	nl_tracedat_abort(w);
	return err;
}

void nl_tracedat_abort(struct nl_tracedat *w)
{
	if (!w)
		return;
	for (int i = 0; i < w->ncpus; i++)
		if (w->cpu[i])
			fclose(w->cpu[i]);
	free(w->cpu);
	free(w->cpu_bytes);
	free(w->path);
	free(w);
}
