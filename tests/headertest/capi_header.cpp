// The C header also compiles as C++ with -pedantic -Werror.
#include "identrail.h"
