// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel module files and boot state, parsed from memory. A module's
 * .modinfo section holds NUL-separated "key=value" strings (vermagic,
 * version, ...), as modinfo(8) prints them; a signed module ends with
 * VLO_KMOD_SIG_MAGIC; an EFI variable file is 4 bytes of attributes and
 * then the value. Only ELF files of this machine's byte order are read:
 * doctor looks at modules for the running kernel.
 */
#include <elf.h>
#include <stdint.h>
#include <string.h>

#include "kmod.h"

struct kmod_elf {
	const unsigned char *p;
	size_t len;
	bool is64;
	uint64_t shoff;
	unsigned int shnum, shentsize;
};

/* Offset, size and name offset of section header idx (idx < shnum). */
static void kmod_shdr(const struct kmod_elf *e, unsigned int idx,
		      uint64_t *off, uint64_t *size, uint32_t *name)
{
	const unsigned char *p = e->p + e->shoff + (uint64_t)idx * e->shentsize;

	if (e->is64) {
		Elf64_Shdr sh;

		memcpy(&sh, p, sizeof(sh));
		*off = sh.sh_offset;
		*size = sh.sh_size;
		*name = sh.sh_name;
	} else {
		Elf32_Shdr sh;

		memcpy(&sh, p, sizeof(sh));
		*off = sh.sh_offset;
		*size = sh.sh_size;
		*name = sh.sh_name;
	}
}

/* Read the ELF header; -1 if this is no ELF file we can read. */
static int kmod_elf_open(struct kmod_elf *e, const unsigned char *p,
			 size_t len, unsigned int *shstrndx)
{
	e->p = p;
	e->len = len;
	if (len < EI_NIDENT || memcmp(p, ELFMAG, SELFMAG))
		return -1;
	e->is64 = p[EI_CLASS] == ELFCLASS64;
	if (e->is64) {
		Elf64_Ehdr eh;

		if (len < sizeof(eh))
			return -1;
		memcpy(&eh, p, sizeof(eh));
		e->shoff = eh.e_shoff;
		e->shnum = eh.e_shnum;
		e->shentsize = eh.e_shentsize;
		*shstrndx = eh.e_shstrndx;
		if (e->shentsize != sizeof(Elf64_Shdr))
			return -1;
	} else if (p[EI_CLASS] == ELFCLASS32) {
		Elf32_Ehdr eh;

		if (len < sizeof(eh))
			return -1;
		memcpy(&eh, p, sizeof(eh));
		e->shoff = eh.e_shoff;
		e->shnum = eh.e_shnum;
		e->shentsize = eh.e_shentsize;
		*shstrndx = eh.e_shstrndx;
		if (e->shentsize != sizeof(Elf32_Shdr))
			return -1;
	} else {
		return -1;
	}
	if (*shstrndx >= e->shnum || e->shoff > len ||
	    (uint64_t)e->shnum * e->shentsize > len - e->shoff)
		return -1;
	return 0;
}

/* Section NAME's bytes within the ELF image, or NULL. */
static const char *kmod_section(const unsigned char *p, size_t len,
				const char *name, size_t *size)
{
	uint64_t stroff, strsz, off, sz;
	unsigned int shstrndx, i;
	struct kmod_elf e;
	uint32_t nameoff;

	if (kmod_elf_open(&e, p, len, &shstrndx))
		return NULL;
	kmod_shdr(&e, shstrndx, &stroff, &strsz, &nameoff);
	if (stroff > len || strsz > len - stroff)
		return NULL;
	for (i = 0; i < e.shnum; i++) {
		const char *sname;

		kmod_shdr(&e, i, &off, &sz, &nameoff);
		if (nameoff >= strsz)
			continue;
		sname = (const char *)p + stroff + nameoff;
		if (strnlen(sname, strsz - nameoff) == strsz - nameoff ||
		    strcmp(sname, name))
			continue;
		if (off > len || sz > len - off)
			return NULL;
		*size = sz;
		return (const char *)p + off;
	}
	return NULL;
}

/*
 * The value of KEY in the module's .modinfo (the first one, as
 * modinfo -F prints it first). 0, -1 if absent or not a module, -2 if
 * the value does not fit in vallen.
 */
int vlo_kmod_modinfo(const void *elf, size_t len, const char *key,
		     char *val, size_t vallen)
{
	size_t size, klen = strlen(key), i = 0;
	const char *mi = kmod_section(elf, len, ".modinfo", &size);

	if (!mi)
		return -1;
	while (i < size) {
		const char *s = mi + i;
		size_t n = strnlen(s, size - i);

		if (n > klen && s[klen] == '=' && !memcmp(s, key, klen)) {
			if (n - klen - 1 >= vallen)
				return -2;
			memcpy(val, s + klen + 1, n - klen - 1);
			val[n - klen - 1] = '\0';
			return 0;
		}
		i += n + 1;
	}
	return -1;
}

bool vlo_kmod_signed(const void *elf, size_t len)
{
	size_t m = sizeof(VLO_KMOD_SIG_MAGIC) - 1;

	return len >= m &&
	       !memcmp((const char *)elf + len - m, VLO_KMOD_SIG_MAGIC, m);
}

/* A boolean EFI variable (SecureBoot, SetupMode): 1, 0, or -1 if malformed. */
int vlo_kmod_efivar_bool(const void *buf, size_t len)
{
	const unsigned char *b = buf;

	if (len != 5)
		return -1;
	return b[4] == 1 ? 1 : b[4] == 0 ? 0 : -1;
}

/* vermagic starts with the release it was built for, then a space. */
bool vlo_kmod_vermagic_matches(const char *vermagic, const char *release)
{
	size_t n = strlen(release);

	return !strncmp(vermagic, release, n) &&
	       (vermagic[n] == ' ' || vermagic[n] == '\0');
}

/*
 * In the text of modules.dep ("path: deps" lines, paths relative to
 * /lib/modules/REL), the line of the module file NAME ("vlo.ko"), or NULL.
 */
const char *vlo_kmod_dep_find(const char *dep, const char *name)
{
	size_t n = strlen(name);
	const char *line = dep;

	while (*line) {
		const char *colon = strchr(line, ':');
		const char *eol = strchr(line, '\n');

		if (!eol)
			eol = line + strlen(line);
		if (colon && colon < eol && (size_t)(colon - line) >= n &&
		    !memcmp(colon - n, name, n) &&
		    (colon - n == line || colon[-(long)n - 1] == '/'))
			return line;
		line = *eol ? eol + 1 : eol;
	}
	return NULL;
}

/* doctor's exit status: 1 if any check failed; warnings are fine. */
int vlo_kmod_exit(const enum vlo_status *st, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (st[i] == VLO_FAIL)
			return 1;
	return 0;
}
