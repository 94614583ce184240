package io.camelpowerbi.component;

import org.apache.camel.spi.Metadata;

/** Message headers of the {@code powerbi:} component. None of them ever carries a token or secret. */
public final class PowerBiConstants {

    @Metadata(label = "producer", description = "The operation to perform, overriding the endpoint's.",
            javaType = "io.camelpowerbi.component.PowerBiOperation")
    public static final String OPERATION = "CamelPowerBiOperation";

    @Metadata(label = "producer", description = "HTTP method of the `call` operation (GET, POST, PUT, PATCH, DELETE).",
            javaType = "String")
    public static final String HTTP_METHOD = "CamelPowerBiHttpMethod";

    @Metadata(label = "producer", description = "Path of the `call` operation under /v1.0/myorg, e.g. /groups.",
            javaType = "String")
    public static final String PATH = "CamelPowerBiPath";

    @Metadata(label = "producer", description = "Power BI's RequestId of the (last) call; quote it to Microsoft support.",
            javaType = "String")
    public static final String REQUEST_ID = "CamelPowerBiRequestId";

    @Metadata(label = "producer", description = "HTTP status of the (last) call.", javaType = "Integer")
    public static final String HTTP_STATUS = "CamelPowerBiHttpStatus";

    @Metadata(label = "producer", description = "How many items a list operation returned.", javaType = "Integer")
    public static final String RESULT_COUNT = "CamelPowerBiResultCount";

    private PowerBiConstants() {
    }
}
