// The `vigil` binary: all behaviour lives in the libraries; this only hands over argv.
#include "cli/app.h"

int main(int argc, char** argv) { return vigil::RunVigil(argc, argv); }
