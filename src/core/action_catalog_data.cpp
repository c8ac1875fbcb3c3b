// The catalog file linked in as bytes with the assembler's .incbin: no
// conversion step at build time and no multi-megabyte string literal for the
// compiler. IDENTRAIL_ACTION_CATALOG is the file's absolute path (CMake).
#include <cstddef>

#define IDENTRAIL_STR2(x) #x
#define IDENTRAIL_STR(x) IDENTRAIL_STR2(x)

__asm__(".section .rodata\n"
        ".balign 16\n"
        ".globl identrail_action_catalog_begin\n"
        ".hidden identrail_action_catalog_begin\n"
        ".globl identrail_action_catalog_end\n"
        ".hidden identrail_action_catalog_end\n"
        "identrail_action_catalog_begin:\n"
        ".incbin " IDENTRAIL_STR(IDENTRAIL_ACTION_CATALOG) "\n"
        "identrail_action_catalog_end:\n"
        ".byte 0\n"
        ".previous\n");
