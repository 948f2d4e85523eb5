package io.janela.window.benchmark;

/** Garbage-collected heap when {@code tenth} records were committed, and when {@code all} were. */
record HeapSamples(long tenth, long atTenth, long all, long atAll) {}
