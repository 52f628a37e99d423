/**
 * @module
 * The expression tree the parser builds and the evaluator walks. `index` is where the node
 * starts in the source, for error messages.
 */

export type Expr =
  | { type: 'literal'; value: string | number | boolean | null }
  | { type: 'name'; name: string; index: number }
  | { type: 'member'; object: Expr; property: string; index: number }
  | { type: 'index'; object: Expr; key: Expr; index: number }
  | { type: 'call'; name: string; args: Expr[]; index: number }
  | { type: 'array'; items: Expr[] }
  | { type: 'unary'; op: '!' | '-' | '+'; operand: Expr; index: number }
  | { type: 'binary'; op: BinaryOperator; left: Expr; right: Expr; index: number }
  | { type: 'logical'; op: '&&' | '||' | '??'; left: Expr; right: Expr }
  | { type: 'conditional'; test: Expr; consequent: Expr; alternate: Expr }

export type BinaryOperator =
  | '+' | '-' | '*' | '/' | '%' | '**'
  | '==' | '!=' | '===' | '!==' | '<' | '<=' | '>' | '>='
