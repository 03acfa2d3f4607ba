/*
 * hog: the static helper that runs inside the lab guest (PID 1 is busybox sh).
 *
 * Built on the host with `gcc -O2 -static -o hog hog.c`; needs nothing but libc.
 * Every line it prints that the host parses starts with an upper-case tag and then
 * space-separated key=value tokens (values never contain spaces).
 *
 *   hog now                               CLOCK_MONOTONIC in ns
 *   hog calib                             time a fixed CPU loop (how fast the guest runs right now)
 *   hog offloop DEV N SWAP_MiB ZERO_MiB RECLAIM   set up once, then N × (swapon, pageout, reclaim, timed swapoff)
 *   hog swapon DEV | hog swapoff DEV      time one syscall: "SYSCALL op=.. rc=.. errno=.. ns=.."
 *   hog pageout TOTAL_MiB OUT_MiB PATTERN READYFILE [ZERO_MiB]
 *        mmap TOTAL+ZERO MiB anonymous (MADV_NOHUGEPAGE), fill the first TOTAL MiB with PATTERN,
 *        MADV_PAGEOUT the first OUT MiB, read-fault the ZERO MiB tail (zero-page PTEs) and write
 *        its last byte (so the VMA surely has an anon_vma), print READY, create READYFILE, pause().
 *        PATTERN: N (0..100)  = N% xorshift bytes, then zeros, then a final 0x01 byte
 *                             (compressible in proportion, never "same-filled")
 *                 zero        = page written with 0x00 only (a same-filled zero page)
 *                 same        = page filled with 0x5a (same-filled, non-zero)
 *   hog zero ZERO_MiB READYFILE           a process that never swaps: ZERO MiB of zero-page PTEs
 *   hog cost TAG swapon DEV               static cost of one swapon (then swapoff) measured in-process
 *   hog cost TAG write PATH VALUE         cost of writing VALUE to a sysfs file (e.g. zram disksize)
 *   hog cost TAG none -                   the same two snapshots around nothing: the noise floor
 *   hog snap save FILE | hog snap diff FILE TAG   snapshot now / print the deltas against FILE
 *
 * Memory is measured as MemFree plus the pages parked on the per-CPU free lists (the sum of the
 * "count:" lines of /proc/zoneinfo): MemFree alone misses pages freed to, or taken from, those lists.
 * Before each reading the per-CPU vmstat differentials are folded (write to /proc/sys/vm/stat_refresh).
 * All buffers are static and touched before the first snapshot, so the helper's own page faults
 * never fall between two snapshots.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/swap.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

#define PAGE 4096UL
#define MIB (1024UL * 1024UL)

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stdout, "HOGERR what=%s errno=%d msg=%s\n", what, errno, strerror(errno));
	fflush(stdout);
	exit(1);
}

/* ---------------------------------------------------------------- proc snapshots */

#define MEMBUF (64 * 1024)
#define ZONEBUF (1024 * 1024)
#define SLABBUF (1024 * 1024)
#define VMBUF (4 * 1024 * 1024)
#define MAXSLAB 1024
#define MAXVM 65536

struct slabent {
	char name[64];
	long active, total, objsize, objperslab, pagesperslab, slabs;
};

struct vment {
	const char *line; /* points into the snapshot's text, NUL-terminated */
	long size, pages;
};

struct snap {
	char mem[MEMBUF], zone[ZONEBUF], slab[SLABBUF], vm[VMBUF], swaps[MEMBUF];
	long pcp;
	int nslab, nvm;
	struct slabent slabs[MAXSLAB];
	struct vment vms[MAXVM];
};

static struct snap S[3];

static long read_file(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY);
	size_t n = 0;
	if (fd < 0) {
		buf[0] = 0;
		return -1;
	}
	for (;;) {
		ssize_t r = read(fd, buf + n, cap - 1 - n);
		if (r <= 0)
			break;
		n += (size_t)r;
		if (n >= cap - 1)
			break;
	}
	close(fd);
	buf[n] = 0;
	return (long)n;
}

/* value in kB of a /proc/meminfo field, -1 when absent */
static long mem_kb(const char *mem, const char *field)
{
	size_t fl = strlen(field);
	const char *p = mem;
	while (p && *p) {
		if (!strncmp(p, field, fl) && p[fl] == ':')
			return strtol(p + fl + 1, NULL, 10);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

static long sum_pcp(const char *zone)
{
	long sum = 0;
	const char *p = zone;
	while ((p = strstr(p, "count:")) != NULL) {
		sum += strtol(p + 6, NULL, 10);
		p += 6;
	}
	return sum;
}

static void parse_slab(struct snap *s)
{
	char *p = s->slab, *nl;
	s->nslab = 0;
	for (; p && *p; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		if (*p == '#' || !strncmp(p, "slabinfo", 8))
			continue;
		struct slabent *e = &s->slabs[s->nslab];
		long dummy1, dummy2;
		if (sscanf(p, "%63s %ld %ld %ld %ld %ld : tunables %ld %ld %*d : slabdata %*d %ld", e->name,
			   &e->active, &e->total, &e->objsize, &e->objperslab, &e->pagesperslab, &dummy1, &dummy2,
			   &e->slabs) == 9 &&
		    s->nslab < MAXSLAB - 1)
			s->nslab++;
	}
}

static void parse_vm(struct snap *s)
{
	char *p = s->vm, *nl;
	s->nvm = 0;
	for (; p && *p; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		if (nl)
			*nl = 0;
		struct vment *e = &s->vms[s->nvm];
		char *sp = strchr(p, ' ');
		if (!sp)
			continue;
		e->line = p;
		e->size = strtol(sp, NULL, 10);
		char *pg = strstr(p, " pages=");
		e->pages = pg ? strtol(pg + 7, NULL, 10) : 0;
		if (s->nvm < MAXVM - 1)
			s->nvm++;
	}
}

/* the light part (meminfo + zoneinfo) is taken right next to the operation, the heavy part
 * (slabinfo + vmallocinfo) before it (snapshot A) or after it (snapshot B) */
static long free_bytes(const struct snap *s);

static void snap_light_once(struct snap *s)
{
	/* fold the per-CPU vmstat differentials into the global counters first: without this,
	 * MemFree and Slab lag by up to the vmstat threshold (tens of pages) per CPU */
	int fd = open("/proc/sys/vm/stat_refresh", O_WRONLY);
	if (fd >= 0) {
		if (write(fd, "1", 1) < 0) {
			/* an error only reports a negative counter; the refresh has happened */
		}
		close(fd);
	}
	read_file("/proc/meminfo", s->mem, MEMBUF);
	read_file("/proc/zoneinfo", s->zone, ZONEBUF);
	s->pcp = sum_pcp(s->zone);
}

/* readings are repeated until two in a row agree on free + per-CPU pages (at most 20) */
static int snap_tries;
static void snap_light(struct snap *s)
{
	long prev = 0;
	for (snap_tries = 1; snap_tries <= 20; snap_tries++) {
		snap_light_once(s);
		long cur = free_bytes(s);
		if (snap_tries > 1 && cur == prev)
			break;
		prev = cur;
	}
}

static void snap_heavy(struct snap *s)
{
	read_file("/proc/slabinfo", s->slab, SLABBUF);
	read_file("/proc/vmallocinfo", s->vm, VMBUF);
	read_file("/proc/swaps", s->swaps, MEMBUF);
	parse_slab(s);
	parse_vm(s);
}

static void touch_all(void)
{
	memset(S, 0, sizeof(S));
	/* the tables are re-read once so that libc's stdio and the first parse fault in too */
	snap_heavy(&S[0]);
	snap_light(&S[0]);
}

static long field_delta_bytes(const struct snap *a, const struct snap *b, const char *f)
{
	long x = mem_kb(a->mem, f), y = mem_kb(b->mem, f);
	if (x < 0 || y < 0)
		return 0;
	return (y - x) * 1024L;
}

static long free_bytes(const struct snap *s)
{
	return mem_kb(s->mem, "MemFree") * 1024L + s->pcp * (long)PAGE;
}

/* key of a vmallocinfo line: the address range (first token) */
static int vm_same(const char *x, const char *y)
{
	while (*x && *x != ' ' && *x == *y) {
		x++;
		y++;
	}
	return (*x == ' ' || !*x) && (*y == ' ' || !*y);
}

static void print_vm_token(const char *line, const char *tag, int sign, long size, long pages)
{
	/* tokens after the size: caller, then flags; pages=/N0= are dropped from flags */
	const char *p = strchr(line, ' ');
	while (*p == ' ')
		p++;
	while (*p && *p != ' ')
		p++; /* size */
	while (*p == ' ')
		p++;
	char caller[256] = "";
	int i = 0;
	while (*p && *p != ' ' && i < 255)
		caller[i++] = *p++;
	caller[i] = 0;
	char flags[256] = "";
	int fl = 0;
	while (*p) {
		while (*p == ' ')
			p++;
		const char *t = p;
		while (*p && *p != ' ')
			p++;
		size_t tl = (size_t)(p - t);
		if (!tl || !strncmp(t, "pages=", 6) || (t[0] == 'N' && memchr(t, '=', tl)))
			continue;
		if (fl && fl < 254)
			flags[fl++] = ',';
		for (size_t k = 0; k < tl && fl < 254; k++)
			flags[fl++] = t[k];
		flags[fl] = 0;
	}
	if (!caller[0])
		strcpy(caller, "-");
	printf("VMD %s sign=%c size=%ld pages=%ld caller=%s flags=%s\n", tag, sign > 0 ? '+' : '-', size, pages,
	       caller, fl ? flags : "-");
}

/* prints the vmalloc entries that appeared (and disappeared) between a and b; returns new pages */
static long vm_diff(const struct snap *a, const struct snap *b, const char *tag, long *nnew)
{
	long newpages = 0;
	*nnew = 0;
	for (int i = 0; i < b->nvm; i++) {
		int found = 0;
		for (int j = 0; j < a->nvm && !found; j++)
			found = vm_same(b->vms[i].line, a->vms[j].line) && b->vms[i].size == a->vms[j].size &&
				!strcmp(strchr(b->vms[i].line, ' '), strchr(a->vms[j].line, ' '));
		if (!found) {
			newpages += b->vms[i].pages;
			(*nnew)++;
			print_vm_token(b->vms[i].line, tag, +1, b->vms[i].size, b->vms[i].pages);
		}
	}
	for (int j = 0; j < a->nvm; j++) {
		int found = 0;
		for (int i = 0; i < b->nvm && !found; i++)
			found = vm_same(b->vms[i].line, a->vms[j].line) && b->vms[i].size == a->vms[j].size &&
				!strcmp(strchr(b->vms[i].line, ' '), strchr(a->vms[j].line, ' '));
		if (!found && a->vms[j].pages)
			print_vm_token(a->vms[j].line, tag, -1, a->vms[j].size, a->vms[j].pages);
	}
	return newpages;
}

/* per-cache deltas; caches with the same name (slub_nomerge) are matched in order */
static void slab_diff(const struct snap *a, const struct snap *b, const char *tag, long *pages_bytes,
		      long *obj_bytes)
{
	*pages_bytes = 0;
	*obj_bytes = 0;
	char used[MAXSLAB] = {0};
	for (int i = 0; i < b->nslab; i++) {
		const struct slabent *y = &b->slabs[i], *x = NULL;
		for (int j = 0; j < a->nslab; j++)
			if (!used[j] && !strcmp(a->slabs[j].name, y->name)) {
				x = &a->slabs[j];
				used[j] = 1;
				break;
			}
		long da = y->active - (x ? x->active : 0), dt = y->total - (x ? x->total : 0),
		     ds = y->slabs - (x ? x->slabs : 0);
		if (!da && !dt && !ds)
			continue;
		*pages_bytes += ds * y->pagesperslab * (long)PAGE;
		*obj_bytes += da * y->objsize;
		printf("SLABD %s cache=%s d_active=%ld d_total=%ld d_slabs=%ld objsize=%ld objperslab=%ld "
		       "pagesperslab=%ld active=%ld\n",
		       tag, y->name, da, dt, ds, y->objsize, y->objperslab, y->pagesperslab, y->active);
	}
	for (int j = 0; j < a->nslab; j++)
		if (!used[j]) {
			const struct slabent *x = &a->slabs[j];
			*pages_bytes -= x->slabs * x->pagesperslab * (long)PAGE;
			*obj_bytes -= x->active * x->objsize;
			printf("SLABD %s cache=%s d_active=%ld d_total=%ld d_slabs=%ld objsize=%ld objperslab=%ld "
			       "pagesperslab=%ld active=0\n",
			       tag, x->name, -x->active, -x->total, -x->slabs, x->objsize, x->objperslab,
			       x->pagesperslab);
		}
}

static const char *MEMFIELDS[] = {"MemFree", "Slab", "SReclaimable", "SUnreclaim", "VmallocUsed", "Percpu",
				  "PageTables", "KernelStack", "AnonPages", "Shmem", "Cached", "Buffers",
				  "SwapCached", "SwapFree", "Zswap", "Zswapped", NULL};

static void print_mem_deltas(const struct snap *a, const struct snap *b)
{
	for (int i = 0; MEMFIELDS[i]; i++) {
		const char *f = MEMFIELDS[i];
		if (mem_kb(b->mem, f) < 0)
			continue;
		char key[64];
		int k = 0;
		for (const char *c = f; *c && k < 60; c++)
			key[k++] = (char)((*c >= 'A' && *c <= 'Z') ? *c + 32 : *c);
		key[k] = 0;
		printf(" d_%s=%ld", key, field_delta_bytes(a, b, f));
	}
}

/* size (KiB) of the swap area DEV in /proc/swaps, -1 when absent */
static long swaps_kb(const char *swaps, const char *dev)
{
	const char *p = swaps;
	size_t dl = strlen(dev);
	while (p && *p) {
		if (!strncmp(p, dev, dl) && (p[dl] == ' ' || p[dl] == '\t')) {
			char type[32];
			long size;
			if (sscanf(p + dl, "%31s %ld", type, &size) == 2)
				return size;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

static int write_str(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	ssize_t n = write(fd, val, strlen(val));
	int e = n < 0 ? -errno : 0;
	close(fd);
	return e;
}

static int cmd_cost(const char *tag, int argc, char **argv)
{
	if (argc < 2)
		return 2;
	const char *op = argv[0];
	int is_swapon = !strcmp(op, "swapon"), is_none = !strcmp(op, "none");
	if (!is_swapon && !is_none && (strcmp(op, "write") || argc < 3))
		return 2;
	touch_all();
	struct snap *a = &S[0], *b = &S[1], *c = &S[2];

	snap_heavy(a);
	snap_light(a);
	int tries_a = snap_tries;
	uint64_t t0 = now_ns();
	int rc = is_none ? 0 : is_swapon ? swapon(argv[1], 0) : write_str(argv[1], argv[2]);
	int err = rc < 0 ? (is_swapon ? errno : -rc) : 0;
	uint64_t t1 = now_ns();
	snap_light(b);
	int tries_b = snap_tries;
	snap_heavy(b);

	long nnew, spages, sobj;
	long vmpages = vm_diff(a, b, tag, &nnew);
	slab_diff(a, b, tag, &spages, &sobj);

	long off_ns = -1, off_rc = 0, off_err = 0;
	if (is_swapon && rc == 0) {
		uint64_t t2 = now_ns();
		off_rc = swapoff(argv[1]);
		off_err = off_rc ? errno : 0;
		off_ns = (long)(now_ns() - t2);
	}
	snap_light(c);

	printf("COST %s op=%s target=%s rc=%d errno=%d ns=%lu pcp_a=%ld pcp_b=%ld memfree_kb_a=%ld "
	       "d_free_pcp=%ld vmalloc_new_pages=%ld vmalloc_new_n=%ld slab_pages_delta=%ld slab_obj_delta=%ld "
	       "swaps_kb=%ld",
	       tag, op, argv[1], rc, err, (unsigned long)(t1 - t0), a->pcp, b->pcp, mem_kb(a->mem, "MemFree"),
	       free_bytes(b) - free_bytes(a), vmpages, nnew, spages, sobj, swaps_kb(b->swaps, argv[1]));
	print_mem_deltas(a, b);
	printf(" off_rc=%ld off_errno=%ld off_ns=%ld d_free_pcp_after_off=%ld tries_a=%d tries_b=%d\n", off_rc, off_err,
	       off_ns, free_bytes(c) - free_bytes(a), tries_a, tries_b);
	fflush(stdout);
	return rc == 0 ? 0 : 1;
}

/* snapshot to a file: the raw texts, separated by a line with a single form feed */
static int cmd_snap(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[0], "save")) {
		touch_all();
		/* raw texts: snap_heavy() would cut the vmallocinfo text into lines */
		read_file("/proc/slabinfo", S[0].slab, SLABBUF);
		read_file("/proc/vmallocinfo", S[0].vm, VMBUF);
		read_file("/proc/swaps", S[0].swaps, MEMBUF);
		snap_light(&S[0]);
		FILE *f = fopen(argv[1], "w");
		if (!f)
			die("snap-save");
		fprintf(f, "%s\n\f\n%s\n\f\n%s\n\f\n%s\n\f\n%s", S[0].mem, S[0].zone, S[0].slab, S[0].swaps,
			S[0].vm);
		fclose(f);
		return 0;
	}
	if (argc >= 3 && !strcmp(argv[0], "diff")) {
		touch_all();
		struct snap *a = &S[1], *b = &S[2];
		static char raw[MEMBUF + ZONEBUF + SLABBUF + VMBUF + 2 * MEMBUF];
		read_file(argv[1], raw, sizeof(raw));
		char *parts[5] = {0};
		char *p = raw;
		for (int i = 0; i < 5 && p; i++) {
			parts[i] = p;
			char *sep = strstr(p, "\n\f\n");
			if (sep) {
				*sep = 0;
				p = sep + 3;
			} else
				p = NULL;
		}
		snprintf(a->mem, MEMBUF, "%s", parts[0] ? parts[0] : "");
		snprintf(a->zone, ZONEBUF, "%s", parts[1] ? parts[1] : "");
		snprintf(a->slab, SLABBUF, "%s", parts[2] ? parts[2] : "");
		snprintf(a->swaps, MEMBUF, "%s", parts[3] ? parts[3] : "");
		snprintf(a->vm, VMBUF, "%s", parts[4] ? parts[4] : "");
		a->pcp = sum_pcp(a->zone);
		parse_slab(a);
		parse_vm(a);
		snap_light(b);
		snap_heavy(b);
		const char *tag = argv[2];
		long nnew, spages, sobj;
		long vmpages = vm_diff(a, b, tag, &nnew);
		slab_diff(a, b, tag, &spages, &sobj);
		printf("SNAPD %s d_free_pcp=%ld pcp_a=%ld pcp_b=%ld vmalloc_new_pages=%ld vmalloc_new_n=%ld "
		       "slab_pages_delta=%ld slab_obj_delta=%ld",
		       tag, free_bytes(b) - free_bytes(a), a->pcp, b->pcp, vmpages, nnew, spages, sobj);
		print_mem_deltas(a, b);
		printf("\n");
		fflush(stdout);
		return 0;
	}
	return 2;
}

/* ---------------------------------------------------------------- workloads */

static uint64_t xs = 0x9e3779b97f4a7c15ULL;
static inline uint64_t xorshift(void)
{
	xs ^= xs << 13;
	xs ^= xs >> 7;
	xs ^= xs << 17;
	return xs;
}

static void fill_page(unsigned char *pg, const char *pattern)
{
	if (!strcmp(pattern, "zero")) {
		pg[0] = 0; /* write fault: a private page that is all zeros */
		return;
	}
	if (!strcmp(pattern, "same")) {
		memset(pg, 0x5a, PAGE);
		return;
	}
	long pct = strtol(pattern, NULL, 10);
	size_t nrand = (size_t)(PAGE * (unsigned long)pct / 100);
	size_t i = 0;
	for (; i + 8 <= nrand; i += 8) {
		uint64_t r = xorshift();
		memcpy(pg + i, &r, 8);
	}
	for (; i < nrand; i++)
		pg[i] = (unsigned char)xorshift();
	/* the rest stays zero (fresh anonymous page); the last byte makes it never same-filled */
	pg[PAGE - 1] = 1;
}

static long status_kb(const char *field)
{
	static char buf[8192];
	read_file("/proc/self/status", buf, sizeof(buf));
	return mem_kb(buf, field);
}

static void ready(const char *readyfile)
{
	int fd = open(readyfile, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if (fd >= 0)
		close(fd);
	fflush(stdout);
	for (;;)
		pause();
}

static int cmd_pageout(int argc, char **argv)
{
	if (argc < 4)
		return 2;
	unsigned long total = strtoul(argv[0], NULL, 10), out = strtoul(argv[1], NULL, 10);
	const char *pattern = argv[2], *readyfile = argv[3];
	unsigned long zero = argc > 4 ? strtoul(argv[4], NULL, 10) : 0;
	if (out > total)
		out = total;
	size_t len = (total + zero) * MIB;
	if (!len)
		len = PAGE;
	unsigned char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (m == MAP_FAILED)
		die("mmap");
	madvise(m, len, MADV_NOHUGEPAGE);
	uint64_t t0 = now_ns();
	for (size_t off = 0; off < total * MIB; off += PAGE)
		fill_page(m + off, pattern);
	uint64_t t1 = now_ns();
	int prc = 0;
	if (out)
		prc = madvise(m, out * MIB, MADV_PAGEOUT);
	int perr = prc ? errno : 0;
	uint64_t t2 = now_ns();
	volatile unsigned long sink = 0;
	for (size_t off = total * MIB; off < len; off += PAGE)
		sink += m[off];
	if (zero)
		m[len - 1] = 1; /* one written page: the VMA gets an anon_vma (total may be 0) */
	uint64_t t3 = now_ns();
	printf("READY pid=%d total_mib=%lu out_mib=%lu pattern=%s zero_mib=%lu fill_ns=%lu pageout_rc=%d "
	       "pageout_errno=%d pageout_ns=%lu zero_ns=%lu vmrss_kb=%ld vmswap_kb=%ld vmpte_kb=%ld\n",
	       getpid(), total, out, pattern, zero, (unsigned long)(t1 - t0), prc, perr, (unsigned long)(t2 - t1),
	       (unsigned long)(t3 - t2), status_kb("VmRSS"), status_kb("VmSwap"), status_kb("VmPTE"));
	(void)sink;
	ready(readyfile);
	return 0;
}

static int cmd_syscall(const char *op, const char *dev)
{
	uint64_t t0 = now_ns();
	int rc = !strcmp(op, "swapon") ? swapon(dev, 0) : swapoff(dev);
	int err = rc ? errno : 0;
	uint64_t t1 = now_ns();
	printf("SYSCALL op=%s dev=%s rc=%d errno=%d ns=%lu\n", op, dev, rc, err, (unsigned long)(t1 - t0));
	fflush(stdout);
	return rc ? 1 : 0;
}

static long meminfo_kb_now(const char *field)
{
	static char buf[MEMBUF];
	read_file("/proc/meminfo", buf, sizeof(buf));
	return mem_kb(buf, field);
}

static uint64_t calib_ns(void);

/*
 * offloop DEV N SWAP_MiB ZERO_MiB RECLAIM_FILE: set up once (fill SWAP_MiB with 30% random bytes,
 * read-fault ZERO_MiB of zero-page PTEs in the same VMA), then N times: swapon DEV, MADV_PAGEOUT
 * the SWAP_MiB, write the swap-cache size to RECLAIM_FILE (the group's memory.reclaim, "-" for
 * none) so that the pages really leave memory, time swapoff. swapoff brings the pages back, so
 * every iteration starts from the same state without paying for the set-up again.
 */
static int cmd_offloop(int argc, char **argv)
{
	if (argc < 5)
		return 2;
	const char *dev = argv[0], *reclaim = argv[4];
	long n = strtol(argv[1], NULL, 10);
	unsigned long S = strtoul(argv[2], NULL, 10), Z = strtoul(argv[3], NULL, 10);
	size_t len = (S + Z) * MIB;
	if (!len)
		len = PAGE;
	unsigned char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (m == MAP_FAILED)
		die("mmap");
	madvise(m, len, MADV_NOHUGEPAGE);
	uint64_t t0 = now_ns();
	for (size_t off = 0; off < S * MIB; off += PAGE)
		fill_page(m + off, "30");
	uint64_t t1 = now_ns();
	volatile unsigned long sink = 0;
	for (size_t off = S * MIB; off < len; off += PAGE)
		sink += m[off];
	m[len - 1] = 1; /* a written page: the VMA has an anon_vma even when SWAP_MiB is 0 */
	uint64_t t2 = now_ns();
	(void)sink;
	for (long i = 1; i <= n; i++) {
		uint64_t a = now_ns();
		int on = swapon(dev, 0);
		int on_err = on ? errno : 0;
		uint64_t b = now_ns();
		int po = S ? madvise(m, S * MIB, MADV_PAGEOUT) : 0;
		uint64_t c = now_ns();
		long sc0 = meminfo_kb_now("SwapCached");
		if (sc0 > 0 && strcmp(reclaim, "-")) {
			char v[32];
			snprintf(v, sizeof(v), "%ld", sc0 * 1024);
			write_str(reclaim, v); /* -EAGAIN when it could not reclaim all of it: fine */
		}
		uint64_t d = now_ns();
		long sc1 = meminfo_kb_now("SwapCached");
		long used = meminfo_kb_now("SwapTotal") - meminfo_kb_now("SwapFree");
		long zsw = meminfo_kb_now("Zswapped");
		long vs0 = status_kb("VmSwap");
		uint64_t cal = calib_ns();
		uint64_t e = now_ns();
		int off = swapoff(dev);
		int off_err = off ? errno : 0;
		uint64_t f = now_ns();
		printf("SWOFFIT rep=%ld swapped_mib=%lu zero_mib=%lu swap_used_kb=%ld zswapped_kb=%ld swapcached_kb_pageout=%ld "
		       "swapcached_kb=%ld vmswap_kb_before=%ld vmswap_kb_after=%ld vmpte_kb=%ld calib_ns=%lu swapon_rc=%d "
		       "swapon_errno=%d swapon_ns=%lu pageout_rc=%d pageout_ns=%lu reclaim_ns=%lu swapoff_rc=%d swapoff_errno=%d "
		       "swapoff_ns=%lu fill_ns=%lu zero_ns=%lu\n",
		       i, S, Z, used, zsw < 0 ? 0 : zsw, sc0, sc1, vs0, status_kb("VmSwap"), status_kb("VmPTE"),
		       (unsigned long)cal, on, on_err, (unsigned long)(b - a), po, (unsigned long)(c - b),
		       (unsigned long)(d - c), off, off_err, (unsigned long)(f - e), (unsigned long)(t1 - t0),
		       (unsigned long)(t2 - t1));
		fflush(stdout);
	}
	return 0;
}

/* a fixed amount of CPU work, timed: under TCG on a shared host it tells how fast the guest is
 * running right now, so that timings taken at different moments can be compared */
static uint64_t calib_ns(void)
{
	uint64_t t0 = now_ns();
	volatile uint64_t acc = 0;
	for (long i = 0; i < 2000000; i++)
		acc += xorshift();
	(void)acc;
	return now_ns() - t0;
}

static int cmd_calib(void)
{
	printf("CALIB ns=%lu\n", (unsigned long)calib_ns());
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		goto usage;
	const char *cmd = argv[1];
	if (!strcmp(cmd, "now")) {
		printf("%lu\n", (unsigned long)now_ns());
		return 0;
	}
	if ((!strcmp(cmd, "swapon") || !strcmp(cmd, "swapoff")) && argc >= 3)
		return cmd_syscall(cmd, argv[2]);
	if (!strcmp(cmd, "offloop"))
		return cmd_offloop(argc - 2, argv + 2);
	if (!strcmp(cmd, "calib"))
		return cmd_calib();
	if (!strcmp(cmd, "pageout"))
		return cmd_pageout(argc - 2, argv + 2);
	if (!strcmp(cmd, "zero") && argc >= 4) {
		char *args[] = {"0", "0", "0", argv[3], argv[2]};
		return cmd_pageout(5, args);
	}
	if (!strcmp(cmd, "cost") && argc >= 4)
		return cmd_cost(argv[2], argc - 3, argv + 3);
	if (!strcmp(cmd, "snap"))
		return cmd_snap(argc - 2, argv + 2);
usage:
	fprintf(stderr, "usage: hog now | calib | offloop DEV N SWAP ZERO RECLAIM | swapon DEV | swapoff DEV | pageout TOTAL OUT PATTERN READY [ZERO] |\n"
			"       zero MiB READY | cost TAG swapon DEV | cost TAG write PATH VALUE |\n"
			"       snap save FILE | snap diff FILE TAG\n");
	return 2;
}
