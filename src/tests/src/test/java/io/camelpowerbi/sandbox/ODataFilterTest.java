package io.camelpowerbi.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ODataFilterTest {

    static final Set<String> PROPS = Set.of("id", "name", "isOnDedicatedCapacity", "size");
    static final Map<String, Object> ROW = Map.of(
            "id",
            "7d3f2a91-5c4b-4e8d-a1f6-0b9e8c7d6a52",
            "name",
            "Sales Analytics",
            "isOnDedicatedCapacity",
            true,
            "size",
            42);
    static final Function<String, Object> ACCESSOR = ROW::get;

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "name eq 'Sales Analytics'|true",
                "name eq 'sales analytics'|true",
                "name ne 'Sales Analytics'|false",
                "contains(name,'Analytics')|true",
                "contains(name, 'Finance')|false",
                "startswith(name,'Sales')|true",
                "endswith(name,'Sales')|false",
                "id eq '7d3f2a91-5c4b-4e8d-a1f6-0b9e8c7d6a52'|true",
                "id eq 7d3f2a91-5c4b-4e8d-a1f6-0b9e8c7d6a52|true",
                "isOnDedicatedCapacity eq true|true",
                "isOnDedicatedCapacity eq false|false",
                "size gt 40 and size le 42|true",
                "size lt 40 or name eq 'Sales Analytics'|true",
                "not (size lt 40)|true",
                "not contains(name,'Sales')|false",
                "(name eq 'X' or name eq 'Sales Analytics') and isOnDedicatedCapacity eq true|true",
                "tolower(name) eq 'sales analytics'|true",
                "name eq 'O''Brien'|false",
                "name eq null|false",
            })
    void evaluates(String filter, boolean expected) {
        assertEquals(expected, ODataFilter.parse(filter, PROPS).test(ACCESSOR), filter);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "name eq",
                "name eq 'x",
                "color eq 'red'",
                "contains(name)",
                "frobnicate(name,'x')",
                "name eq 'x' garbage",
                "()",
                "   "
            })
    void rejects(String filter) {
        assertThrows(IllegalArgumentException.class, () -> ODataFilter.parse(filter, PROPS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"name eq 'O''Brien'"})
    void quotesAreEscapedByDoubling(String filter) {
        assertTrue(ODataFilter.parse(filter, PROPS).test(Map.<String, Object>of("name", "O'Brien")::get));
        assertFalse(ODataFilter.parse(filter, PROPS).test(ACCESSOR));
    }
}
