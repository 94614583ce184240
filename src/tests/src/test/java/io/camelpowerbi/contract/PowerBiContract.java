package io.camelpowerbi.contract;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.interaction.ApiOperationResolver;
import com.atlassian.oai.validator.interaction.request.RequestValidator;
import com.atlassian.oai.validator.interaction.response.ResponseValidator;
import com.atlassian.oai.validator.model.ApiOperationMatch;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.MessageResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.schema.SchemaValidator;
import com.atlassian.oai.validator.util.OpenApiLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BinaryOperator;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Microsoft's Power BI REST contract ({@code contract/powerbi-contract.json}, derived from the published swagger by
 * {@link ContractDerivation}) as a judge of exchanges, with atlassian's swagger-request-validator doing the judging:
 * the path and method must be an operation of the contract; query parameters must be known, required ones present,
 * values of the declared type and enum; the request body must meet its schema; the answer's status must be
 * documented for the operation and its body meet the schema. Strictness: no property the schema does not declare
 * (where it declares properties), in requests and answers alike. 4xx and 5xx answers, which the swagger does not
 * document, must meet the error shape of {@code contract/exceptions.yaml}. What the contract is known to get wrong is
 * excused by that file's entries, each citing a public source.
 */
public final class PowerBiContract {

    static final String CONTRACT = "/contract/powerbi-contract.json";
    /** The Fabric operations the component calls, derived by {@link FabricContractDerivation}. */
    static final String FABRIC_CONTRACT = "/contract/fabric-contract.json";
    /** The OneLake (ADLS Gen2 DFS) operations the component calls, derived by {@link OneLakeContractDerivation}. */
    static final String ONELAKE_CONTRACT = "/contract/onelake-contract.json";
    /** The contracts, for messages. */
    static final String CONTRACTS = String.join(", ", CONTRACT, FABRIC_CONTRACT, ONELAKE_CONTRACT);

    static final String NO_OPERATION = "(no operation)";

    /** The verdict on one exchange. */
    public record Check(
            String operation,
            boolean requestChecked,
            boolean responseChecked,
            List<ContractViolation> violations,
            List<Excused> excused) {}

    /** A violation that an exception or known-violation entry excuses. */
    public record Excused(ContractViolation violation, ContractExceptions.Entry entry) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The property names of an additionalProperties or required message: {@code ... schema: ["a","b"]}. */
    private static final Pattern NAMED =
            Pattern.compile("(?:not allowed by the schema: |missing required properties \\()\\[(.*?)]");

    private static final Pattern QUOTED = Pattern.compile("'([^']*)'");

    /** Operations found per method and raw path: the library's resolver compiles a regex per path segment per try. */
    private static final int MAX_CACHED_PATHS = 20_000;

    private final ApiOperationResolver operations;
    private final Map<String, ApiOperationMatch> matched = new ConcurrentHashMap<>();
    private final MessageResolver messages;
    private final RequestValidator requests;
    private final ResponseValidator responses;
    private final ContractExceptions exceptions;
    /** The exchanges this contract judges. */
    private final Predicate<ContractExchange> judges;
    /** The path an exchange is judged as, from its raw path and raw query. */
    private final BinaryOperator<String> judgedAs;

    private PowerBiContract(
            OpenAPI api,
            ContractExceptions exceptions,
            Predicate<ContractExchange> judges,
            BinaryOperator<String> judgedAs) {
        this.exceptions = exceptions;
        this.judges = judges;
        this.judgedAs = judgedAs;
        this.operations = new ApiOperationResolver(api, null, false);
        // every message at ERROR, additional properties and unknown query parameters included (the library's defaults
        // ignore both)
        this.messages = new MessageResolver(LevelResolver.create().build());
        SchemaValidator schemas = new SchemaValidator(api, messages);
        this.requests = new RequestValidator(schemas, messages, api, List.of());
        this.responses = new ResponseValidator(schemas, messages, api, List.of());
    }

    public static PowerBiContract load() {
        return load(ContractExceptions.load());
    }

    static PowerBiContract load(ContractExceptions exceptions) {
        ParseOptions options = parseOptions();
        OpenAPI api = new OpenApiLoader()
                .loadApi(
                        OpenApiInteractionValidator.SpecSource.inline(camelCase(read(CONTRACT), exceptions)),
                        List.of(),
                        options);
        openEmptyObjects(api);
        addErrorResponses(api, exceptions);
        return new PowerBiContract(api, exceptions, x -> !x.oneLake() && isPowerBiPath(x.rawPath()), (p, q) -> p);
    }

    /**
     * The Fabric contract: Fabric's OpenAPI documents its errors itself ({@code ErrorResponse}, 429), so no error shape
     * is added. A path {@code /operations/...} is judged as {@code /v1/operations/...}: Fabric's own examples give the
     * running operation's {@code Location} without {@code /v1} (fabric-rest-api-specs,
     * {@code platform/examples/platform/GetLongRunningOperationStateRunning.json}), and clients follow it as given.
     */
    public static PowerBiContract loadFabric() {
        ParseOptions options = parseOptions();
        OpenAPI api = new OpenApiLoader()
                .loadApi(OpenApiInteractionValidator.SpecSource.inline(read(FABRIC_CONTRACT)), List.of(), options);
        openEmptyObjects(api);
        return new PowerBiContract(
                api,
                ContractExceptions.load(),
                x -> !x.oneLake() && isFabricPath(x.rawPath()),
                (p, q) -> p.regionMatches(true, 0, "/operations/", 0, 12) ? "/v1" + p : p);
    }

    /**
     * The OneLake contract ({@link OneLakeContractDerivation}): Azure Storage's DFS API, judging what comes in on the
     * sandbox's OneLake listener. Two things the validator does not read are put in its terms here. The DFS swagger
     * keeps its operations under AutoRest's {@code x-ms-paths}, where a query in the key tells operations of one path
     * and method apart ({@code /{filesystem}/{path}?action=append} is {@code Path_AppendData}): such a key becomes a path
     * with the query as a last segment ({@code /{filesystem}/{path}/action=append}), and a request carrying that query
     * is judged at it. And {@code {path}} is the rest of the URL, slashes included ({@code x-ms-skip-url-encoding}), so
     * the segments after the filesystem (the workspace, in OneLake) are judged as one, their slashes encoded.
     */
    public static PowerBiContract loadOneLake() {
        ParseOptions options = parseOptions();
        List<Map<String, String>> queries = new ArrayList<>();
        String contract;
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(read(ONELAKE_CONTRACT));
            ObjectNode paths = JSON.createObjectNode();
            root.path("x-ms-paths").fields().forEachRemaining(p -> {
                int q = p.getKey().indexOf('?');
                if (q >= 0) {
                    queries.add(query(p.getKey().substring(q + 1)).entrySet().stream()
                            .collect(Collectors.toMap(
                                    Map.Entry::getKey, e -> e.getValue().get(0), (a, b) -> a, LinkedHashMap::new)));
                }
                paths.set(
                        q < 0
                                ? p.getKey()
                                : p.getKey().substring(0, q) + "/" + p.getKey().substring(q + 1),
                        p.getValue());
            });
            root.set("paths", paths);
            root.remove("x-ms-paths");
            contract = JSON.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + ONELAKE_CONTRACT, e);
        }
        OpenAPI api = new OpenApiLoader()
                .loadApi(OpenApiInteractionValidator.SpecSource.inline(contract), List.of(), options);
        openEmptyObjects(api);
        return new PowerBiContract(
                api, ContractExceptions.load(), ContractExchange::oneLake, (p, q) -> oneLakePath(p, q, queries));
    }

    /** {@code /ws/lh/Files/a.csv?action=append} as the contract's {@code /{filesystem}/{path}/action=append}. */
    static String oneLakePath(String rawPath, String rawQuery, List<Map<String, String>> queries) {
        String[] segments = (rawPath.startsWith("/") ? rawPath.substring(1) : rawPath).split("/", -1);
        if (segments.length < 2) {
            return rawPath;
        }
        String path = "/" + segments[0] + "/"
                + String.join("%2F", Arrays.asList(segments).subList(1, segments.length));
        Map<String, List<String>> sent = query(rawQuery);
        for (Map<String, String> keyed : queries) {
            if (keyed.entrySet().stream()
                    .allMatch(e -> sent.getOrDefault(e.getKey(), List.of()).contains(e.getValue()))) {
                return path + "/"
                        + keyed.entrySet().stream()
                                .map(e -> e.getKey() + "=" + e.getValue())
                                .collect(Collectors.joining("&"));
            }
        }
        return path;
    }

    /** References resolved, and allOf flattened so that "no undeclared property" does not reject a sibling's. */
    private static ParseOptions parseOptions() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);
        options.setResolveCombinators(true);
        return options;
    }

    /** True for a Fabric REST path ({@code /v1/...}, or an operation's {@code Location} without {@code /v1}). */
    static boolean isFabricPath(String rawPath) {
        return rawPath.startsWith("/v1/") || rawPath.regionMatches(true, 0, "/operations/", 0, 12);
    }

    public ContractExceptions exceptions() {
        return exceptions;
    }

    /** True for a Power BI REST path; token endpoints, blob uploads and the sandbox's control paths are not. */
    static boolean isPowerBiPath(String rawPath) {
        return rawPath.regionMatches(true, 0, "/v1.0/myorg/", 0, 12);
    }

    /** The verdict on one exchange; empty when it is no Power BI REST call. */
    public Optional<Check> check(ContractExchange x) {
        if (!judges.test(x) || !(x.checkRequest() || x.checkResponse() && x.status() != 0)) {
            return Optional.empty();
        }
        Request.Method method = Request.Method.valueOf(x.method().toUpperCase(Locale.ROOT));
        String path = judgedAs.apply(x.rawPath(), x.rawQuery());
        ApiOperationMatch match = operation(method, path);
        boolean known = match.isPathFound() && match.isOperationAllowed();
        String operation = known ? match.getApiOperation().getOperation().getOperationId() : NO_OPERATION;
        List<ContractViolation> found = new ArrayList<>();
        if (x.checkRequest()) {
            ValidationReport report = !match.isPathFound()
                    ? ValidationReport.singleton(messages.get("validation.request.path.missing", x.rawPath()))
                    : !match.isOperationAllowed()
                            ? ValidationReport.singleton(
                                    messages.get("validation.request.operation.notAllowed", method, x.rawPath()))
                            : requests.validateRequest(request(x, path), match.getApiOperation());
            found.addAll(violations(report, x, operation, "request", x.requestBody() == null));
        }
        boolean responseChecked = x.checkResponse() && x.status() != 0;
        if (responseChecked) {
            if (!known) {
                // an error for a call Power BI does not have is right; a success would be an invented endpoint
                if (x.status() < 400) {
                    found.add(new ContractViolation(
                            x.toString(),
                            operation,
                            "response",
                            "validation.response.operation.unknown",
                            x.method() + " " + x.rawPath(),
                            "the sandbox answered " + x.status() + " to a call the contract does not have"));
                }
            } else {
                ValidationReport report = responses.validateResponse(response(x), match.getApiOperation());
                found.addAll(violations(report, x, operation, "response", false));
            }
        }
        List<ContractViolation> kept = new ArrayList<>();
        List<Excused> excused = new ArrayList<>();
        for (ContractViolation v : collapse(found)) {
            exceptions.excuse(v).ifPresentOrElse(e -> excused.add(new Excused(v, e)), () -> kept.add(v));
        }
        return Optional.of(new Check(operation, x.checkRequest(), responseChecked, kept, excused));
    }

    private ApiOperationMatch operation(Request.Method method, String rawPath) {
        if (matched.size() > MAX_CACHED_PATHS) {
            matched.clear();
        }
        return matched.computeIfAbsent(method + " " + rawPath, k -> operations.findApiOperation(rawPath, method));
    }

    private static SimpleRequest request(ContractExchange x, String path) {
        SimpleRequest.Builder b = new SimpleRequest.Builder(x.method(), path);
        x.requestHeaders().forEach(b::withHeader);
        query(x.rawQuery()).forEach(b::withQueryParam);
        if (x.requestBody() != null && x.requestBody().length > 0) {
            b.withBody(x.requestBody());
        }
        return b.build();
    }

    private static SimpleResponse response(ContractExchange x) {
        SimpleResponse.Builder b = SimpleResponse.Builder.status(x.status());
        x.responseHeaders().forEach(b::withHeader);
        if (x.responseBody() != null && x.responseBody().length > 0) {
            b.withBody(x.responseBody());
        }
        return b.build();
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    private static List<ContractViolation> violations(
            ValidationReport report, ContractExchange x, String operation, String side, boolean bodyNotKept) {
        List<ContractViolation> out = new ArrayList<>();
        for (ValidationReport.Message m : report.getMessages()) {
            if (m.getLevel() != ValidationReport.Level.ERROR) {
                continue;
            }
            if (bodyNotKept && m.getKey().startsWith("validation.request.body")) {
                continue; // a streamed upload: its body was not kept, so it cannot be judged here
            }
            String text = m.getMessage() + nested(m);
            Matcher named = NAMED.matcher(m.getMessage());
            String pointer = m.getContext()
                    .flatMap(ValidationReport.MessageContext::getPointers)
                    .map(ValidationReport.MessageContext.Pointers::getInstance)
                    .orElse("/");
            if ((m.getKey().endsWith(".additionalProperties") || m.getKey().endsWith(".required")) && named.find()) {
                for (String name : named.group(1).split(",")) {
                    String property = name.trim().replaceAll("^\"|\"$", "");
                    out.add(new ContractViolation(
                            x.toString(),
                            operation,
                            side,
                            m.getKey(),
                            (pointer.endsWith("/") ? pointer : pointer + "/") + property,
                            text));
                }
            } else {
                out.add(new ContractViolation(x.toString(), operation, side, m.getKey(), field(m, pointer), text));
            }
        }
        return out;
    }

    /**
     * One violation per rule and field shape: the same broken property in each of 10,000 rows is one violation, the
     * first, saying how many more there are.
     */
    private static List<ContractViolation> collapse(List<ContractViolation> found) {
        Map<String, List<ContractViolation>> byShape = new LinkedHashMap<>();
        for (ContractViolation v : found) {
            String shape = v.side() + " " + v.rule() + " " + v.field().replaceAll("/\\d+(?=/|$)", "/*");
            byShape.computeIfAbsent(shape, k -> new ArrayList<>()).add(v);
        }
        List<ContractViolation> out = new ArrayList<>();
        for (List<ContractViolation> same : byShape.values()) {
            ContractViolation first = same.get(0);
            out.add(
                    same.size() == 1
                            ? first
                            : new ContractViolation(
                                    first.exchange(),
                                    first.operation(),
                                    first.side(),
                                    first.rule(),
                                    first.field(),
                                    first.message() + " (and " + (same.size() - 1) + " more like it)"));
        }
        return out;
    }

    /** What the message is about: a body pointer, a parameter or header name, the status, or the path. */
    private static String field(ValidationReport.Message m, String pointer) {
        String key = m.getKey();
        if (key.contains(".schema.") && key.contains(".body.")) {
            return pointer;
        }
        Optional<String> parameter = m.getContext()
                .flatMap(ValidationReport.MessageContext::getParameter)
                .map(io.swagger.v3.oas.models.parameters.Parameter::getName);
        if (parameter.isPresent()) {
            return parameter.get();
        }
        if (key.endsWith(".path.missing") || key.endsWith(".operation.notAllowed")) {
            return "path";
        }
        if (key.contains(".contentType.")) {
            return "Content-Type";
        }
        if (key.contains(".accept.")) {
            return "Accept";
        }
        if (key.contains(".body.")) {
            return "body";
        }
        if (key.endsWith(".status.unknown")) {
            return m.getContext()
                    .flatMap(ValidationReport.MessageContext::getResponseStatus)
                    .map(String::valueOf)
                    .orElseGet(() -> {
                        Matcher status = Pattern.compile("status (\\d+)").matcher(m.getMessage());
                        return status.find() ? status.group(1) : "status";
                    });
        }
        Matcher quoted = QUOTED.matcher(m.getMessage());
        return quoted.find() ? quoted.group(1) : key;
    }

    private static String nested(ValidationReport.Message m) {
        if (m.getNestedMessages().isEmpty()) {
            return "";
        }
        return m.getNestedMessages().stream()
                .map(ValidationReport.Message::getMessage)
                .collect(Collectors.joining("; ", " (", ")"));
    }

    /**
     * An object the swagger declares without properties ({@code {"type": "object"}}, e.g. a pushed row) is free-form;
     * the parser gives it an empty property map, which the "no undeclared property" rule would read as "no property
     * allowed". Such maps are removed.
     */
    @SuppressWarnings("rawtypes")
    private static void openEmptyObjects(OpenAPI api) {
        Set<Schema> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Schema> todo = new ArrayList<>();
        api.getPaths()
                .values()
                .forEach(path -> path.readOperations().forEach(op -> {
                    if (op.getRequestBody() != null && op.getRequestBody().getContent() != null) {
                        op.getRequestBody().getContent().values().forEach(m -> todo.add(m.getSchema()));
                    }
                    if (op.getParameters() != null) {
                        op.getParameters().forEach(p -> todo.add(p.getSchema()));
                    }
                    op.getResponses().values().forEach(r -> {
                        if (r.getContent() != null) {
                            r.getContent().values().forEach(m -> todo.add(m.getSchema()));
                        }
                    });
                }));
        while (!todo.isEmpty()) {
            Schema schema = todo.remove(todo.size() - 1);
            if (schema == null || !seen.add(schema)) {
                continue;
            }
            if (schema.getProperties() != null && schema.getProperties().isEmpty()) {
                schema.setProperties(null);
            }
            if (schema.getProperties() != null) {
                todo.addAll(((Map<?, ?>) schema.getProperties())
                        .values().stream().map(Schema.class::cast).toList());
            }
            if (schema.getItems() != null) {
                todo.add(schema.getItems());
            }
            if (schema.getAdditionalProperties() instanceof Schema extra) {
                todo.add(extra);
            }
            for (List<?> composed : Arrays.asList(schema.getAllOf(), schema.getAnyOf(), schema.getOneOf())) {
                if (composed != null) {
                    composed.forEach(c -> todo.add((Schema) c));
                }
            }
        }
    }

    /** Every operation answers 4XX and 5XX with the error shape the exceptions file documents. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void addErrorResponses(OpenAPI api, ContractExceptions exceptions) {
        Schema errorSchema = io.swagger.v3.core.util.Json.mapper().convertValue(exceptions.errorSchema(), Schema.class);
        ApiResponse error = new ApiResponse()
                .description("Power BI error (contract/exceptions.yaml)")
                .content(new Content().addMediaType("application/json", new MediaType().schema(errorSchema)));
        api.getPaths()
                .values()
                .forEach(path -> path.readOperations().forEach(op -> {
                    op.getResponses().addApiResponse("4XX", error);
                    op.getResponses().addApiResponse("5XX", error);
                }));
    }

    /** The contract with the property names of the exceptions file's camelCase definitions as the service writes them. */
    private static String camelCase(String contract, ContractExceptions exceptions) {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(contract);
            for (ContractExceptions.CamelCase entry : exceptions.camelCase()) {
                for (String name : entry.definitions()) {
                    JsonNode definition = root.path("definitions").path(name);
                    if (!(definition.get("properties") instanceof ObjectNode properties)) {
                        throw new IllegalStateException(ContractExceptions.EXCEPTIONS + ": no definition " + name
                                + " with properties in the contract");
                    }
                    ObjectNode renamed = JSON.createObjectNode();
                    properties.fields().forEachRemaining(p -> renamed.set(camel(p.getKey()), p.getValue()));
                    ((ObjectNode) definition).set("properties", renamed);
                    if (definition.get("required") instanceof ArrayNode required) {
                        for (int i = 0; i < required.size(); i++) {
                            required.set(i, camel(required.get(i).asText()));
                        }
                    }
                }
            }
            return JSON.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the contract", e);
        }
    }

    private static String camel(String name) {
        return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    private static String read(String resource) {
        try (InputStream in = PowerBiContract.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the test classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
