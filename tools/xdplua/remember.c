// SPDX-License-Identifier: GPL-2.0
/*
 * The sources of the scripts this network namespace runs, as last loaded:
 * the kernel keeps a script's text but gives none back, and "xdplua save"
 * writes /etc/xdplua/ from the running state. Each successful load copies
 * the files to
 *
 *	/run/xdplua/netns-INODE/NAME/FILE...	the files, as "require" names them
 *	/run/xdplua/netns-INODE/NAME/files	their names, the main chunk first
 *
 * and each attach with --prog copies the eBPF object to
 *
 *	/run/xdplua/netns-INODE/progs/PROG_ID.bpf.o	(the attached program's id)
 *
 * (INODE: the network namespace's, as /proc/self/ns/net shows it). /run is
 * emptied at boot, as the module is. Failures are not the load's: at most
 * a warning with -v.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "xdplua.h"

#define REMEMBER_DIR	"/run/xdplua"

static int write_file(const char *dir, const char *name, const char *data,
		      size_t size)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	size_t done = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, name);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	while (done < size) {
		n = write(fd, data + done, size - done);
		if (n < 0) {
			n = -errno;
			close(fd);
			unlink(tmp);
			return n;
		}
		done += n;
	}
	if (close(fd) || rename(tmp, path)) {
		n = -errno;
		unlink(tmp);
		return n;
	}
	return 0;
}

/* Makes /run/xdplua/netns-INODE/SUB, the directory's path in dir */
static int remember_dir(char *dir, size_t size, const char *sub)
{
	struct stat st;

	if (stat("/proc/self/ns/net", &st))
		return -errno;
	if (mkdir(REMEMBER_DIR, 0700) && errno != EEXIST)
		return -errno;
	snprintf(dir, size, REMEMBER_DIR "/netns-%lu",
		 (unsigned long)st.st_ino);
	if (mkdir(dir, 0700) && errno != EEXIST)
		return -errno;
	snprintf(dir + strlen(dir), size - strlen(dir), "/%s", sub);
	if (mkdir(dir, 0700) && errno != EEXIST)
		return -errno;
	return 0;
}

static int remember(const struct script *s)
{
	char dir[PATH_MAX], index[64 * 64];
	size_t len = 0;
	int i, err;

	err = remember_dir(dir, sizeof(dir), s->name);
	if (err)
		return err;
	for (i = 0; i < s->nfiles; i++) {
		err = write_file(dir, s->files[i].name, s->files[i].data,
				 s->files[i].size);
		if (err)
			return err;
		len += snprintf(index + len, sizeof(index) - len, "%s\n",
				s->files[i].name);
		if (len >= sizeof(index))
			return -ENAMETOOLONG;
	}
	return write_file(dir, "files", index, len);
}

void script_remember(const struct script *s)
{
	int err = remember(s);

	if (err && verbose)
		errmsg("warning: cannot keep a copy of %s in " REMEMBER_DIR ": %s",
		       s->name, strerror(-err));
}

/* The eBPF object prog_id was loaded from, for "xdplua save". */
void prog_remember(__u32 prog_id, const char *file)
{
	struct script_file f = { .path = file };
	char dir[PATH_MAX], name[32];
	int err;

	err = remember_dir(dir, sizeof(dir), "progs");
	if (!err)
		err = script_file_read(&f);
	if (!err) {
		snprintf(name, sizeof(name), "%u.bpf.o", prog_id);
		err = write_file(dir, name, f.data, f.size);
		free(f.data);
	}
	if (err && verbose)
		errmsg("warning: cannot keep a copy of %s in " REMEMBER_DIR ": %s",
		       file, strerror(-err));
}

/*
 * "xdplua apply" and "xdplua save" are the xdplua-config helper's
 * (tools/xdplua/xdplua-config): next to this program (the build tree:
 * build/bin/), else in XDPLUA_LIBEXECDIR (the package: /usr/lib/xdplua).
 */
#ifndef XDPLUA_LIBEXECDIR
#define XDPLUA_LIBEXECDIR "/usr/lib/xdplua"
#endif

int cmd_config(char **argv)
{
	char self[PATH_MAX], helper[PATH_MAX + 32];
	ssize_t n;
	char *slash;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			snprintf(helper, sizeof(helper), "%s/xdplua-config", self);
			if (!access(helper, X_OK))
				goto found;
		}
	}
	snprintf(helper, sizeof(helper), XDPLUA_LIBEXECDIR "/xdplua-config");
found:
	argv[0] = helper;
	execv(helper, argv);
	errmsg("cannot run %s: %s", helper, strerror(errno));
	return 1;
}
