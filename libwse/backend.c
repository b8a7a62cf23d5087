// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * backend.c - finding the backend of a device string.
 *
 * "drm" is built in. Every other backend NAME is a plugin,
 * libwse-NAME.so.1, implementing abi/wse-backend.h; libwse loads it the
 * first time a device string names it and keeps it for the life of the
 * process. It looks for the plugin, in this order:
 *
 *   1. in each directory of $WSE_BACKEND_PATH (':'-separated), so that a
 *      build tree or a test can bring its own;
 *   2. in the directory libwse.so.1 itself was loaded from, where the
 *      build and an installation put both;
 *   3. in the library directory libwse was configured for (WSE_LIBDIR);
 *   4. wherever the dynamic loader finds it (LD_LIBRARY_PATH, ld.so.cache).
 *
 * A plugin that is found but cannot be loaded, or speaks another major
 * version of the contract, is an error of its own: libwse does not look
 * further, so that a broken installation is reported, not papered over.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wse_priv.h"

#ifndef WSE_LIBDIR
#define WSE_LIBDIR	"/usr/local/lib"
#endif

#define WSE_BACKENDS_MAX	8
#define WSE_BACKEND_NAME_MAX	16

extern const struct wse_backend_ops wse_drm_backend;

/* Plugins loaded so far; protected by wse_backends_lock. */
static struct {
	char name[WSE_BACKEND_NAME_MAX];
	const struct wse_backend_ops *ops;
} wse_backends[WSE_BACKENDS_MAX];
static unsigned int wse_nr_backends;
static pthread_mutex_t wse_backends_lock = PTHREAD_MUTEX_INITIALIZER;

static bool wse_backend_name_ok(const char *name)
{
	size_t i, len = strlen(name);

	if (!len || len >= WSE_BACKEND_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
		      (i && name[i] >= '0' && name[i] <= '9') ||
		      (i && name[i] == '-')))
			return false;
	return true;
}

/* The directory libwse.so.1 was loaded from, into @dir; false if unknown. */
static bool wse_backend_own_dir(char *dir, size_t len)
{
	Dl_info info;
	char *slash;

	if (!dladdr((void *)wse_backend_find, &info) || !info.dli_fname ||
	    !strchr(info.dli_fname, '/'))
		return false;
	snprintf(dir, len, "%s", info.dli_fname);
	slash = strrchr(dir, '/');
	*slash = '\0';
	return true;
}

/* Open @file from @dir if it is there: 1 with *@h set, 0 if absent, -1 on error. */
static int wse_backend_try(const char *dir, size_t dirlen, const char *file,
			   void **h, char *err, size_t errlen)
{
	char path[PATH_MAX];

	if (!dirlen)
		return 0;
	snprintf(path, sizeof(path), "%.*s/%s", (int)dirlen, dir, file);
	if (access(path, F_OK))
		return 0;
	*h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (*h)
		return 1;
	snprintf(err, errlen, "cannot load %s: %s", path, dlerror());
	return -1;
}

/* Find and open the plugin's file; NULL with a sentence in @err. */
static void *wse_backend_open_file(const char *name, char *err, size_t errlen)
{
	const char *env = getenv("WSE_BACKEND_PATH"), *p, *colon;
	char file[64], own[PATH_MAX] = "", looked[512] = "";
	void *h = NULL;
	size_t n = 0;
	int r;

	snprintf(file, sizeof(file), "libwse-%s.so.1", name);
	for (p = env; p && *p; p = *colon ? colon + 1 : colon) {
		colon = strchrnul(p, ':');
		r = wse_backend_try(p, colon - p, file, &h, err, errlen);
		if (r)
			return r > 0 ? h : NULL;
		if (colon > p)
			n += snprintf(looked + n, sizeof(looked) - n, "%.*s, ",
				      (int)(colon - p), p);
	}
	if (n >= sizeof(looked))
		n = sizeof(looked) - 1;
	if (wse_backend_own_dir(own, sizeof(own))) {
		r = wse_backend_try(own, strlen(own), file, &h, err, errlen);
		if (r)
			return r > 0 ? h : NULL;
		n += snprintf(looked + n, sizeof(looked) - n, "%s, ", own);
	}
	if (n >= sizeof(looked))
		n = sizeof(looked) - 1;
	if (strcmp(own, WSE_LIBDIR)) {
		r = wse_backend_try(WSE_LIBDIR, strlen(WSE_LIBDIR), file, &h, err,
				    errlen);
		if (r)
			return r > 0 ? h : NULL;
		snprintf(looked + n, sizeof(looked) - n, "%s, ", WSE_LIBDIR);
	}
	h = dlopen(file, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		snprintf(err, errlen, "the %s backend (%s) is not installed: not in %sand not on the loader's path",
			 name, file, looked);
	return h;
}

static const struct wse_backend_ops *wse_backend_load(const char *name,
						      char *err, size_t errlen)
{
	const struct wse_backend_ops *ops;
	wse_backend_entry_fn entry;
	void *h;

	h = wse_backend_open_file(name, err, errlen);
	if (!h)
		return NULL;
	entry = (wse_backend_entry_fn)dlsym(h, WSE_BACKEND_ENTRY);
	ops = entry ? entry(WSE_BACKEND_ABI_VERSION) : NULL;
	if (!ops || ops->abi_version >> 16 != WSE_BACKEND_ABI_MAJOR ||
	    ops->size < offsetof(struct wse_backend_ops, trace_arm) || !ops->open || !ops->close ||
	    !ops->region_alloc || !ops->region_free || !ops->host_alloc ||
	    !ops->host_free || !ops->submit || !ops->wait || !ops->job_free ||
	    !ops->window_map || !ops->window_unmap || !ops->reset) {
		snprintf(err, errlen, "libwse-%s.so.1 does not implement backend contract %u.x",
			 name, WSE_BACKEND_ABI_MAJOR);
		dlclose(h);
		return NULL;
	}
	/* Kept loaded: devices of other threads may use it at any time. */
	return ops;
}

const struct wse_backend_ops *wse_backend_find(const char *name, char *err,
					       size_t errlen)
{
	const struct wse_backend_ops *ops = NULL;
	unsigned int i;

	if (!strcmp(name, "drm"))
		return &wse_drm_backend;
	if (!wse_backend_name_ok(name)) {
		snprintf(err, errlen, "'%s' is not a backend name", name);
		return NULL;
	}
	pthread_mutex_lock(&wse_backends_lock);
	for (i = 0; i < wse_nr_backends && !ops; i++)
		if (!strcmp(wse_backends[i].name, name))
			ops = wse_backends[i].ops;
	if (!ops && wse_nr_backends == WSE_BACKENDS_MAX)
		snprintf(err, errlen, "too many backends loaded");
	else if (!ops) {
		ops = wse_backend_load(name, err, errlen);
		if (ops) {
			snprintf(wse_backends[wse_nr_backends].name,
				 WSE_BACKEND_NAME_MAX, "%s", name);
			wse_backends[wse_nr_backends++].ops = ops;
		}
	}
	pthread_mutex_unlock(&wse_backends_lock);
	return ops;
}
