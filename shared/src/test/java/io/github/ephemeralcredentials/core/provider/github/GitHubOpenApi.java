package io.github.ephemeralcredentials.core.provider.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * GitHub's published OpenAPI description (the excerpt {@code github-openapi-excerpt.json}, generated from npm
 * {@code @octokit/openapi} by {@code shared/src/test/openapi/extract_github.py}) as a validator of request and
 * response bodies, plus minimal valid instances of its schemas for the fake server to answer with.
 */
final class GitHubOpenApi {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    final JsonNode excerpt;

    GitHubOpenApi() {
        try (InputStream in = GitHubOpenApi.class.getResourceAsStream("github-openapi-excerpt.json")) {
            excerpt = JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The operation ("GET /repos/{owner}/{repo}/installation") whose path template matches, if any. */
    Optional<String> operation(String method, String path) {
        for (Iterator<String> it = excerpt.path("operations").fieldNames(); it.hasNext(); ) {
            String key = it.next();
            String[] parts = key.split(" ", 2);
            String regex = Pattern.quote(parts[1]).replaceAll("\\{[a-z_]+\\}", "\\\\E[^/]+\\\\Q");
            if (parts[0].equals(method) && path.matches(regex)) {
                return Optional.of(key);
            }
        }
        return Optional.empty();
    }

    JsonNode operationNode(String operation) {
        return excerpt.path("operations").path(operation);
    }

    /** Violations of the request body against the operation's request schema ("" body = none). */
    List<String> checkRequest(String operation, String body) {
        JsonNode op = operationNode(operation);
        JsonNode schema = op.path("request");
        if (body.isEmpty()) {
            return op.path("requestBodyRequired").asBoolean() ? List.of(operation + ": request body is required") : List.of();
        }
        if (schema.isMissingNode() || schema.isNull()) {
            return List.of(operation + ": takes no request body but got " + body);
        }
        return validate(operation + " request", schema, body);
    }

    /**
     * Violations of a response against the operation's documented response for that status. A status the
     * operation does not document is held to {@code basic-error}, the shape of every GitHub error answer.
     */
    List<String> checkResponse(String operation, int status, String body) {
        JsonNode responses = operationNode(operation).path("responses");
        JsonNode schema = responses.get(String.valueOf(status));
        if (schema == null) {
            if (status < 400) {
                return List.of(operation + ": HTTP " + status + " is not a documented answer");
            }
            schema = basicError();
        }
        if (schema.isNull()) {
            return body.isEmpty() ? List.of() : List.of(operation + ": HTTP " + status + " has no body, got " + body);
        }
        return validate(operation + " HTTP " + status, schema, body);
    }

    JsonNode responseSchema(String operation, int status) {
        return operationNode(operation).path("responses").path(String.valueOf(status));
    }

    private JsonNode basicError() {
        return responseSchema("GET /repos/{owner}/{repo}/installation", 404);
    }

    private static List<String> validate(String what, JsonNode schema, String body) {
        try {
            JsonSchema validator = SCHEMAS.getSchema(schema);
            java.util.Set<ValidationMessage> errors = validator.validate(JSON.readTree(body));
            return errors.stream().map(m -> what + ": " + m.getMessage()).collect(Collectors.toList());
        } catch (IOException e) {
            return List.of(what + ": body is not JSON: " + body);
        }
    }

    /**
     * The smallest instance of {@code schema} that validates: required properties only, nullable ones null, with
     * {@code overrides} (by property name, at this level only) taking precedence.
     */
    static JsonNode instance(JsonNode schema, Map<String, JsonNode> overrides) {
        return build(schema, overrides, true);
    }

    /** @param wanted whether the caller wants a value even where null is allowed (the top level, an override's parent) */
    private static JsonNode build(JsonNode schema, Map<String, JsonNode> overrides, boolean wanted) {
        if (schema.has("anyOf") || schema.has("oneOf")) {
            for (JsonNode alternative : schema.has("anyOf") ? schema.get("anyOf") : schema.get("oneOf")) {
                if (!"null".equals(alternative.path("type").asText())) {
                    return build(alternative, overrides, wanted);
                }
            }
        }
        if (schema.has("allOf")) {
            ObjectNode merged = JSON.createObjectNode();
            schema.get("allOf").forEach(part -> merged.setAll((ObjectNode) build(part, overrides, wanted)));
            return merged;
        }
        JsonNode type = schema.path("type");
        if (type.isArray()) {
            JsonNode nonNull = null;
            for (JsonNode t : type) {
                if (t.asText().equals("null") && !wanted) {
                    return JSON.nullNode();
                }
                if (!t.asText().equals("null") && nonNull == null) {
                    nonNull = t;
                }
            }
            type = nonNull;
        }
        if (schema.has("enum")) {
            return schema.get("enum").get(0);
        }
        switch (type.asText("object")) {
            case "object": {
                ObjectNode out = JSON.createObjectNode();
                for (JsonNode required : schema.path("required")) {
                    String name = required.asText();
                    JsonNode override = overrides.get(name);
                    out.set(name, override != null ? override : build(schema.path("properties").path(name), Map.of(), false));
                }
                return out;
            }
            case "array":
                return JSON.createArrayNode();
            case "integer":
            case "number":
                return JSON.getNodeFactory().numberNode(1);
            case "boolean":
                return JSON.getNodeFactory().booleanNode(false);
            default:
                String format = schema.path("format").asText();
                return JSON.getNodeFactory().textNode(format.equals("uri") ? "https://api.github.com/x"
                        : format.equals("date-time") ? "2026-11-23T12:00:00Z" : format.equals("email") ? "x@example.com" : "x");
        }
    }

    static ArrayNode array(JsonNode... items) {
        ArrayNode out = JSON.createArrayNode();
        for (JsonNode item : items) {
            out.add(item);
        }
        return out;
    }
}
