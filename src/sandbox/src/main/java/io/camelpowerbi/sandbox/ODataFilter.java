package io.camelpowerbi.sandbox;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small OData {@code $filter} evaluator for the sandbox's list endpoints: comparisons ({@code eq ne gt ge lt le}),
 * {@code and}/{@code or}/{@code not}, parentheses, {@code contains}/{@code startswith}/{@code endswith},
 * {@code tolower}/{@code toupper}/{@code trim}; literals: 'strings' (with '' escapes), numbers, true/false/null and
 * bare GUIDs. Rows are seen through a property accessor, so any entity can be filtered.
 *
 * <p>guess: string comparisons ignore case, as Power BI's SQL-backed listings appear to.
 */
public final class ODataFilter implements Predicate<Function<String, Object>> {

    private static final Pattern TOKEN = Pattern.compile(
            "\\s*(?:(?<guid>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"
                    + "|(?<string>'(?:[^']|'')*')|(?<number>-?\\d+(?:\\.\\d+)?)|(?<ident>[A-Za-z_][A-Za-z0-9_./]*)"
                    + "|(?<punct>[(),]))");

    private interface Expr {
        Object eval(Function<String, Object> row);
    }

    private final String text;
    private final Expr root;

    private ODataFilter(String text, Expr root) {
        this.text = text;
        this.root = root;
    }

    /**
     * Parses {@code filter}; properties outside {@code properties} are an error, as in OData.
     *
     * @throws IllegalArgumentException with a message fit for a 400 answer
     */
    public static ODataFilter parse(String filter, Set<String> properties) {
        List<String> tokens = tokenize(filter);
        Parser parser = new Parser(tokens, properties);
        Expr expr = parser.orExpr();
        if (parser.pos < tokens.size()) {
            throw new IllegalArgumentException("unexpected '" + tokens.get(parser.pos) + "' in $filter");
        }
        return new ODataFilter(filter, expr);
    }

    @Override
    public boolean test(Function<String, Object> row) {
        return Boolean.TRUE.equals(root.eval(row));
    }

    @Override
    public String toString() {
        return "$filter=" + text;
    }

    private static List<String> tokenize(String filter) {
        List<String> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(filter);
        int pos = 0;
        while (pos < filter.length()) {
            if (filter.substring(pos).isBlank()) {
                break;
            }
            m.region(pos, filter.length());
            if (!m.lookingAt()) {
                throw new IllegalArgumentException("syntax error at position " + pos + " in $filter");
            }
            tokens.add(m.group().strip());
            pos = m.end();
        }
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("empty $filter");
        }
        return tokens;
    }

    private static final class Parser {
        private final List<String> tokens;
        private final Set<String> properties;
        private int pos;

        Parser(List<String> tokens, Set<String> properties) {
            this.tokens = tokens;
            this.properties = properties;
        }

        Expr orExpr() {
            Expr left = andExpr();
            while (keyword("or")) {
                Expr l = left;
                Expr r = andExpr();
                left = row -> Boolean.TRUE.equals(l.eval(row)) || Boolean.TRUE.equals(r.eval(row));
            }
            return left;
        }

        Expr andExpr() {
            Expr left = unary();
            while (keyword("and")) {
                Expr l = left;
                Expr r = unary();
                left = row -> Boolean.TRUE.equals(l.eval(row)) && Boolean.TRUE.equals(r.eval(row));
            }
            return left;
        }

        Expr unary() {
            if (keyword("not")) {
                Expr e = unary();
                return row -> !Boolean.TRUE.equals(e.eval(row));
            }
            return comparison();
        }

        Expr comparison() {
            Expr left = operand();
            String op = peek() == null ? null : peek().toLowerCase(Locale.ROOT);
            if (op != null && Set.of("eq", "ne", "gt", "ge", "lt", "le").contains(op)) {
                pos++;
                Expr right = operand();
                return row -> compare(op, left.eval(row), right.eval(row));
            }
            return left;
        }

        Expr operand() {
            String t = next("an operand");
            if (t.equals("(")) {
                Expr e = orExpr();
                expect(")");
                return e;
            }
            if (t.startsWith("'")) {
                String value = t.substring(1, t.length() - 1).replace("''", "'");
                return row -> value;
            }
            if (Character.isDigit(t.charAt(0)) || t.charAt(0) == '-') {
                if (t.length() == 36 && t.charAt(8) == '-') {
                    return row -> t;
                }
                BigDecimal n = new BigDecimal(t);
                return row -> n;
            }
            String lower = t.toLowerCase(Locale.ROOT);
            switch (lower) {
                case "true":
                    return row -> Boolean.TRUE;
                case "false":
                    return row -> Boolean.FALSE;
                case "null":
                    return row -> null;
                default:
                    break;
            }
            if (t.length() == 36 && t.charAt(8) == '-') {
                return row -> t;
            }
            if ("(".equals(peek())) {
                return function(lower);
            }
            if (!properties.contains(t)) {
                throw new IllegalArgumentException("Could not find a property named '" + t + "'");
            }
            return row -> row.apply(t);
        }

        Expr function(String name) {
            expect("(");
            List<Expr> args = new ArrayList<>();
            if (!")".equals(peek())) {
                args.add(orExpr());
                while (",".equals(peek())) {
                    pos++;
                    args.add(orExpr());
                }
            }
            expect(")");
            switch (name) {
                case "contains", "substringof", "startswith", "endswith" -> {
                    if (args.size() != 2) {
                        throw new IllegalArgumentException(name + " needs two arguments");
                    }
                    Expr a = args.get(0);
                    Expr b = args.get(1);
                    return row -> {
                        Object x = a.eval(row);
                        Object y = b.eval(row);
                        if (x == null || y == null) {
                            return false;
                        }
                        String s = String.valueOf(x).toLowerCase(Locale.ROOT);
                        String p = String.valueOf(y).toLowerCase(Locale.ROOT);
                        return switch (name) {
                            case "contains" -> s.contains(p);
                            // OData v3: substringof(needle, haystack)
                            case "substringof" -> p.contains(s);
                            case "startswith" -> s.startsWith(p);
                            default -> s.endsWith(p);
                        };
                    };
                }
                case "tolower", "toupper", "trim" -> {
                    if (args.size() != 1) {
                        throw new IllegalArgumentException(name + " needs one argument");
                    }
                    Expr a = args.get(0);
                    return row -> {
                        Object x = a.eval(row);
                        if (x == null) {
                            return null;
                        }
                        String s = String.valueOf(x);
                        return switch (name) {
                            case "tolower" -> s.toLowerCase(Locale.ROOT);
                            case "toupper" -> s.toUpperCase(Locale.ROOT);
                            default -> s.trim();
                        };
                    };
                }
                default -> throw new IllegalArgumentException("unknown function '" + name + "' in $filter");
            }
        }

        private boolean keyword(String word) {
            if (pos < tokens.size() && tokens.get(pos).equalsIgnoreCase(word)) {
                pos++;
                return true;
            }
            return false;
        }

        private String peek() {
            return pos < tokens.size() ? tokens.get(pos) : null;
        }

        private String next(String what) {
            if (pos >= tokens.size()) {
                throw new IllegalArgumentException("$filter ends where " + what + " was expected");
            }
            return tokens.get(pos++);
        }

        private void expect(String token) {
            String t = next("'" + token + "'");
            if (!t.equals(token)) {
                throw new IllegalArgumentException("expected '" + token + "' but found '" + t + "' in $filter");
            }
        }
    }

    private static Object compare(String op, Object a, Object b) {
        int cmp;
        if (a == null || b == null) {
            boolean equal = a == b;
            return switch (op) {
                case "eq" -> equal;
                case "ne" -> !equal;
                default -> false;
            };
        }
        if (a instanceof Boolean || b instanceof Boolean) {
            boolean equal = String.valueOf(a).equalsIgnoreCase(String.valueOf(b));
            return switch (op) {
                case "eq" -> equal;
                case "ne" -> !equal;
                default -> false;
            };
        }
        if (a instanceof Number || b instanceof Number) {
            try {
                cmp = new BigDecimal(String.valueOf(a)).compareTo(new BigDecimal(String.valueOf(b)));
            } catch (NumberFormatException e) {
                return "ne".equals(op);
            }
        } else {
            cmp = String.valueOf(a).compareToIgnoreCase(String.valueOf(b));
        }
        return switch (op) {
            case "eq" -> cmp == 0;
            case "ne" -> cmp != 0;
            case "gt" -> cmp > 0;
            case "ge" -> cmp >= 0;
            case "lt" -> cmp < 0;
            default -> cmp <= 0;
        };
    }
}
