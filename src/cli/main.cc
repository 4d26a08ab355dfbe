#include "cli/cli.h"

int main(int argc, char** argv) { return tahadhari::cli::Main(argc, argv); }
