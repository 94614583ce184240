/**
 * The sandbox: a local, stateful emulator of the Entra ID token endpoint and the Power BI REST API, faithful to
 * Microsoft's documentation (each class cites its page) and explicit where it guesses (comments marked
 * {@code guess:}). It depends on no other package of the project.
 *
 * <h2>Power BI endpoints</h2>
 * All under {@code /v1.0/myorg/groups/{groupId}}, bearer-validated ({@link io.camelpowerbi.sandbox.BearerValidator}),
 * membership-checked ({@link io.camelpowerbi.sandbox.WorkspaceAccess}); unknown workspace, dataset, report, table or
 * export: 404 {@code PowerBIEntityNotFound}; every answer carries {@code RequestId} and {@code home-cluster-uri}.
 * <ul>
 * <li>{@code GET|POST datasets}, {@code GET|DELETE datasets/{d}}, {@code GET datasets/{d}/tables} (names only unless
 * {@code listTableColumns}),
 * {@code PUT datasets/{d}/tables/{t}}, {@code POST|DELETE datasets/{d}/tables/{t}/rows}
 * ({@link io.camelpowerbi.sandbox.DatasetsApi});</li>
 * <li>{@code POST|GET datasets/{d}/refreshes}, {@code GET|DELETE datasets/{d}/refreshes/{id}}
 * ({@link io.camelpowerbi.sandbox.RefreshesApi});</li>
 * <li>{@code POST datasets/{d}/executeQueries} ({@link io.camelpowerbi.sandbox.QueriesApi},
 * {@link io.camelpowerbi.sandbox.DaxQuery});</li>
 * <li>{@code GET reports}, {@code GET reports/{r}}, {@code POST reports/{r}/ExportTo},
 * {@code GET reports/{r}/exports/{id}}, {@code GET reports/{r}/exports/{id}/file}
 * ({@link io.camelpowerbi.sandbox.ReportsApi}, files from {@link io.camelpowerbi.sandbox.ExportFiles});</li>
 * <li>{@code POST|GET imports}, {@code GET imports/{id}}, {@code POST imports/createTemporaryUploadLocation}
 * ({@link io.camelpowerbi.sandbox.ImportsApi}); the upload URL is {@code /_sandbox/blob/{id}?sv=..&sig=..} on the
 * storage listener (its own port, {@code Sandbox.storageBaseUrl()}, under the other loopback name: {@code localhost} for
 * {@code 127.0.0.1} and back; the API listener does not serve blobs), answering Azure Blob's Put Blob / Put Block /
 * Put Block List and refusing any request with an {@code Authorization} header (400), so a leaked bearer is caught
 * ({@link io.camelpowerbi.sandbox.BlobEndpoint}).</li>
 * </ul>
 * Admin APIs under {@code /v1.0/myorg/admin} ({@link io.camelpowerbi.sandbox.PowerBiAdminApi}; every workspace of the
 * tenant; tenant switch {@code servicePrincipalsCanUseReadOnlyAdminApis}, else 401): {@code GET activityevents}
 * ({@link io.camelpowerbi.sandbox.ActivityLog}: seeded history, served-call events, lag, paging with empty pages),
 * {@code GET workspaces/modified}, {@code POST workspaces/getInfo}, {@code GET workspaces/scanStatus/{id}},
 * {@code GET workspaces/scanResult/{id}} ({@link io.camelpowerbi.sandbox.ScanJob}) and {@code GET groups}; rate limits
 * in {@link io.camelpowerbi.sandbox.LimitsConfig}, behaviour in {@code activityEvents} and {@code scans} of
 * {@link io.camelpowerbi.sandbox.ApiSettings}; {@code extraWorkspaces: N} adds generated workspaces.
 *
 * <h2>Time</h2>
 * Refreshes, exports, imports, tokens and the seeded activity history follow the
 * {@link io.camelpowerbi.sandbox.SandboxClock}, which runs with real time from the system clock or, started with
 * {@code Sandbox.start(config, SandboxClock.startingAt(instant))}, from a fixed instant:
 * {@code sandbox.clock().advance(...)} or {@code POST /_sandbox/clock} ends them at once. The push and executeQueries
 * rate windows use real elapsed time divided by {@code limits.timeScale}; {@code Retry-After} is in real seconds.
 *
 * <h2>Control ({@code /_sandbox}, no auth, loopback callers only unless {@code remoteControl: true})</h2>
 * {@code GET /_sandbox/state}; {@code GET|POST|DELETE /_sandbox/faults[/{id}]} (a rule with {@code afterProcessing}
 * serves the request first and then drops the connection or answers its status: done, but the answer lost); {@code GET|POST /_sandbox/clock};
 * {@code GET|POST /_sandbox/limits} (partial object); {@code GET|POST /_sandbox/settings} (partial object:
 * {@code wrongCluster}, {@code listTableColumns}, {@code refreshes}, {@code exports}, {@code imports});
 * {@code POST /_sandbox/datasets/{d}/refreshBehaviour} {@code {"durationSeconds","outcome","serviceExceptionJson"}};
 * {@code POST /_sandbox/datasets/{d}/queries} {@code {"query","rows"}};
 * {@code POST /_sandbox/reports/{r}/exportBehaviour} {@code {"transientFailures","outcome"}};
 * {@code POST /_sandbox/tenants/{t}} {@code {"servicePrincipalsCanUseApis","servicePrincipalsCanUseReadOnlyAdminApis"}};
 * {@code POST /_sandbox/workspaces/{w}} {@code {"isOnDedicatedCapacity","addMembers","removeMembers","lastModified",
 * "type","state"}}; {@code POST /_sandbox/activity} (an event object or an array); settings keys
 * {@code activityEvents} and {@code scans}; state counters {@code adminCalls}, {@code throttledAdminCalls},
 * {@code scans}, {@code activityEventsRecorded};
 * {@code POST /_sandbox/postRows/pause|resume}; {@code POST /_sandbox/reset}.
 *
 * <h2>Java API for tests</h2>
 * {@link io.camelpowerbi.sandbox.Sandbox}: {@code limits()/setLimits(LimitsConfig)}, {@code settings()/setSettings(
 * ApiSettings)}, {@code workspace(id)}, {@code dataset(id)}, {@code report(id)}, {@code setRefreshBehaviour(id,
 * Dataset.RefreshBehaviour)}, {@code pausePostRows()/resumePostRows()}, {@code stateJson()}, {@code reset()},
 * {@code clock()}, {@code faults()}, {@code activityLog()} ({@code add(json)}, {@code events(from, to)},
 * {@code recorded()}), {@code scans()}, {@code adminCallCounts()}, {@code throttledAdminCallCount()},
 * {@code addObserver(SandboxObserver)} (told about every exchange before its answer leaves; observers named in
 * {@code META-INF/services/io.camelpowerbi.sandbox.SandboxObserver} are installed at start); seeded ids {@code Sandbox.DATASET_RETAIL}, {@code DATASET_FINANCE_MODEL},
 * {@code DATASET_LEDGER}, {@code REPORT_SALES}, {@code REPORT_INVOICE}. A test-only configuration with hostile report
 * names is {@code src/tests/src/test/resources/io/camelpowerbi/sandbox/hostile-names.yaml}.
 */
package io.camelpowerbi.sandbox;
