// VigilQuery: PromQL lexer, parser and evaluator over VigilStorage (in progress).
