/**
 * An OCPP-J call's payload or a reply's. ocpp-rpc runs in strict mode and checks every payload against the OCPP 1.6
 * or 2.0.1 JSON schema of its action before a handler sees it, so handlers read fields without re-validating them.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- shaped by the action's OCPP JSON schema, checked by ocpp-rpc
export type OcppPayload = Record<string, any>;
