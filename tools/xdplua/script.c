// SPDX-License-Identifier: GPL-2.0
/*
 * A script as read from disk: its name and its files, main chunk first.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xdplua.h"

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* As the module accepts them, for require. */
#define FILE_NAME_MAX	63

static bool file_name_valid(const char *name)
{
	size_t len = strlen(name);

	if (!len || len > FILE_NAME_MAX || !strcmp(name, ".") ||
	    !strcmp(name, ".."))
		return false;
	return strspn(name, "abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789_.-") == len;
}

int script_file_read(struct script_file *f)
{
	size_t cap = 0, len = 0, n;
	char *buf = NULL, *grown;
	struct stat st;
	FILE *fp;
	int err;

	fp = fopen(f->path, "r");
	if (!fp) {
		err = -errno;
		errmsg("cannot read %s: %s", f->path, strerror(errno));
		return err;
	}
	if (!fstat(fileno(fp), &st) && S_ISDIR(st.st_mode)) {
		errmsg("cannot read %s: it is a directory", f->path);
		fclose(fp);
		return -EISDIR;
	}
	for (;;) {
		if (len == cap) {
			/* past the limit: the caller reports the size */
			if (cap > XDPLUA_SOURCE_MAX)
				break;
			cap = cap ? cap * 2 : 64 * 1024;
			grown = realloc(buf, cap);
			if (!grown) {
				errmsg("cannot read %s: out of memory", f->path);
				free(buf);
				fclose(fp);
				return -ENOMEM;
			}
			buf = grown;
		}
		n = fread(buf + len, 1, cap - len, fp);
		if (!n)
			break;
		len += n;
	}
	if (ferror(fp)) {
		errmsg("cannot read %s: %s", f->path, strerror(errno));
		free(buf);
		fclose(fp);
		return -EIO;
	}
	fclose(fp);
	f->data = buf;
	f->size = len;
	return 0;
}

int script_read(struct script *s, const struct load_opts *o)
{
	const char *base;
	size_t len;
	int i, j, err;

	memset(s, 0, sizeof(*s));
	if (o->name) {
		base = o->name;
		len = strlen(base);
	} else {
		base = base_name(o->files[0]);
		len = strlen(base);
		if (!len) {
			errmsg("cannot load %s: not a file", o->files[0]);
			return -EISDIR;
		}
		if (len > 4 && !strcmp(base + len - 4, ".lua"))
			len -= 4;
	}
	if (len >= sizeof(s->name)) {
		errmsg("script name %.*s is too long (at most %d characters): choose one with --name",
		       (int)len, base, XDPLUA_NAME_MAX - 1);
		return -EINVAL;
	}
	memcpy(s->name, base, len);
	if (!script_name_valid(s->name)) {
		errmsg("invalid script name '%s': use letters, digits, '_', '.' and '-' (--name NAME)",
		       s->name);
		return -EINVAL;
	}

	s->files = calloc(o->nfiles, sizeof(*s->files));
	if (!s->files) {
		errmsg("out of memory");
		return -ENOMEM;
	}
	s->nfiles = o->nfiles;
	for (i = 0; i < o->nfiles; i++) {
		struct script_file *f = &s->files[i];

		f->path = o->files[i];
		f->name = base_name(f->path);
		if (!file_name_valid(f->name)) {
			errmsg("cannot load %s: file names may only have letters, digits, '_', '.' and '-' (at most %d)",
			       f->path, FILE_NAME_MAX);
			return -EINVAL;
		}
		for (j = 0; j < i; j++) {
			if (!strcmp(s->files[j].name, f->name)) {
				errmsg("%s and %s have the same name: require could not tell them apart",
				       s->files[j].path, f->path);
				return -EINVAL;
			}
		}
		err = script_file_read(f);
		if (err)
			return err;
		s->size += f->size;
		if (s->size > XDPLUA_SOURCE_MAX) {
			errmsg("script %s is too large: at most %d MiB of source",
			       s->name, XDPLUA_SOURCE_MAX >> 20);
			return -EFBIG;
		}
	}
	return 0;
}

void script_free(struct script *s)
{
	int i;

	for (i = 0; i < s->nfiles; i++)
		free(s->files[i].data);
	free(s->files);
	memset(s, 0, sizeof(*s));
}
