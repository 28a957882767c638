// SPDX-License-Identifier: GPL-2.0
/*
 * png_stat FILE...: print "FILE WIDTH HEIGHT COLOURS" per PNG, where
 * COLOURS is the number of distinct pixel values (counting stops at 256).
 * A chart that is blank has one colour. Built by the plot tests with
 * `cc -o png_stat png_stat.c -lz`; it decodes what gnuplot's pngcairo
 * writes (8-bit grey, RGB, RGBA or palette, not interlaced) and says so
 * when a file is anything else. Exit 1 on an unreadable file.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define MAX_COLOURS 256

struct png {
	uint32_t w, h;
	unsigned int depth, ctype, interlace, bpp;	/* bpp: bytes per pixel */
	unsigned char *idat;
	size_t idat_len;
};

static int read_chunks(FILE *f, struct png *p)
{
	unsigned char sig[8], hdr[8];
	static const unsigned char magic[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

	if (fread(sig, 1, 8, f) != 8 || memcmp(sig, magic, 8))
		return -1;
	while (fread(hdr, 1, 8, f) == 8) {
		uint32_t len;
		unsigned char *data;

		memcpy(&len, hdr, 4);
		len = ntohl(len);
		if (len > (1u << 30))
			return -1;
		data = malloc(len + 4 ? len + 4 : 1);
		if (!data || fread(data, 1, len + 4, f) != len + 4) {	/* + CRC */
			free(data);
			return -1;
		}
		if (!memcmp(hdr + 4, "IHDR", 4) && len >= 13) {
			p->w = ntohl(*(uint32_t *)data);
			p->h = ntohl(*(uint32_t *)(data + 4));
			p->depth = data[8];
			p->ctype = data[9];
			p->interlace = data[12];
		} else if (!memcmp(hdr + 4, "IDAT", 4)) {
			unsigned char *n = realloc(p->idat, p->idat_len + len + 1);

			if (!n) {
				free(data);
				return -1;
			}
			p->idat = n;
			memcpy(p->idat + p->idat_len, data, len);
			p->idat_len += len;
		}
		free(data);
		if (!memcmp(hdr + 4, "IEND", 4))
			return 0;
	}
	return -1;
}

static int paeth(int a, int b, int c)
{
	int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);

	return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* Undo the per-row filters in place; rows are 1 + w * bpp bytes. */
static int unfilter(struct png *p, unsigned char *raw)
{
	size_t stride = (size_t)p->w * p->bpp;

	for (uint32_t y = 0; y < p->h; y++) {
		unsigned char *row = raw + y * (stride + 1), *cur = row + 1;
		unsigned char *prev = y ? raw + (y - 1) * (stride + 1) + 1 : NULL;

		for (size_t x = 0; x < stride; x++) {
			int a = x >= p->bpp ? cur[x - p->bpp] : 0;
			int b = prev ? prev[x] : 0;
			int c = prev && x >= p->bpp ? prev[x - p->bpp] : 0;

			switch (row[0]) {
			case 0: break;
			case 1: cur[x] += a; break;
			case 2: cur[x] += b; break;
			case 3: cur[x] += (a + b) / 2; break;
			case 4: cur[x] += paeth(a, b, c); break;
			default: return -1;
			}
		}
	}
	return 0;
}

static unsigned int count_colours(const struct png *p, const unsigned char *raw)
{
	static uint32_t seen[MAX_COLOURS];
	size_t stride = (size_t)p->w * p->bpp;
	unsigned int n = 0;

	for (uint32_t y = 0; y < p->h; y++)
		for (uint32_t x = 0; x < p->w; x++) {
			const unsigned char *px = raw + y * (stride + 1) + 1 + x * p->bpp;
			uint32_t v = 0;
			unsigned int i;

			for (unsigned int k = 0; k < p->bpp; k++)
				v = v << 8 | px[k];
			for (i = 0; i < n && seen[i] != v; i++)
				;
			if (i == n) {
				if (n == MAX_COLOURS)
					return n;
				seen[n++] = v;
			}
		}
	return n;
}

static int stat_one(const char *path)
{
	static const unsigned int channels[7] = { 1, 0, 3, 1, 2, 0, 4 };
	struct png p = { 0 };
	FILE *f = fopen(path, "rb");
	unsigned char *raw = NULL;
	uLongf rawlen;
	int ret = 1;

	if (!f || read_chunks(f, &p) || !p.w || !p.h) {
		fprintf(stderr, "png_stat: %s: not a readable PNG\n", path);
		goto out;
	}
	if (p.depth != 8 || p.ctype > 6 || !channels[p.ctype] || p.interlace) {
		fprintf(stderr, "png_stat: %s: depth %u type %u interlace %u not supported\n",
			path, p.depth, p.ctype, p.interlace);
		goto out;
	}
	p.bpp = channels[p.ctype];
	rawlen = (uLongf)p.h * ((uLongf)p.w * p.bpp + 1);
	raw = malloc(rawlen);
	if (!raw || uncompress(raw, &rawlen, p.idat, p.idat_len) != Z_OK ||
	    rawlen != (uLongf)p.h * ((uLongf)p.w * p.bpp + 1) || unfilter(&p, raw)) {
		fprintf(stderr, "png_stat: %s: corrupt image data\n", path);
		goto out;
	}
	printf("%s %u %u %u\n", path, p.w, p.h, count_colours(&p, raw));
	ret = 0;
out:
	if (f)
		fclose(f);
	free(raw);
	free(p.idat);
	return ret;
}

int main(int argc, char **argv)
{
	int ret = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: png_stat FILE.png...\n");
		return 2;
	}
	for (int i = 1; i < argc; i++)
		ret |= stat_one(argv[i]);
	return ret;
}
