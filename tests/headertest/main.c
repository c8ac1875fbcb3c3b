/* Compiled as C99 with -pedantic -Werror: the C header must be plain C. */
#include "identrail.h"
#include "identrail.h"

int main(void) {
  idt_status status = IDT_OK;
  idt_option key = IDT_OPT_DEDUPLICATE;
  idt_field field = IDT_FIELD_ACTION;
  (void)key;
  (void)field;
  return status == IDT_OK && IDT_VERSION_MAJOR >= 0 ? 0 : 1;
}
