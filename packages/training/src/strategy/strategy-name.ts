/**
 * How a strategy is named wherever a name stands for it: in the API's `strategy_name`, and as the
 * strategy part of a model key (`{strategy}/{symbol}_{tf}_v{N}`), which is also a folder name.
 * Letters, digits, `.`, `_`, `-`, starting with a letter or digit, at most 64 characters: a safe
 * single path segment. Symbols in model keys follow the same rule.
 */
export const STRATEGY_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
