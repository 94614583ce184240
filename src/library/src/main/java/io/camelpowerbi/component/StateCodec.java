package io.camelpowerbi.component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one encoding of what the polling consumers keep in a {@code StateRepository}: one line of JSON,
 * {@code {"v":1,"state":...}}, the state being a record or a collection. A value that is missing, empty (a cleared
 * key), torn or of another version decodes to null, and the consumer starts afresh from its configured start point
 * rather than from a misread checkpoint.
 */
final class StateCodec<T> {

    private static final int VERSION = 1;
    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private final JavaType type;

    private StateCodec(JavaType type) {
        this.type = type;
    }

    static <T> StateCodec<T> of(Class<T> type) {
        return new StateCodec<>(JSON.constructType(type));
    }

    static <T> StateCodec<T> of(TypeReference<T> type) {
        return new StateCodec<>(JSON.constructType(type));
    }

    String encode(T state) {
        return JSON.createObjectNode()
                .put("v", VERSION)
                .set("state", JSON.valueToTree(state))
                .toString();
    }

    T decode(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || node.path("v").asInt(-1) != VERSION || !node.has("state")) {
                return null;
            }
            return JSON.convertValue(node.get("state"), type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return null; // torn or foreign: start afresh
        }
    }
}
