// One AWS call through the AWS SDK for JavaScript v3, for tests/server/test_real_clients.py.
// Usage: node call.mjs '{"endpoint": ..., "region": ..., "accessKeyId": ..., "secretAccessKey": ...,
//                        "sessionToken": ..., "service": "ec2" | "sts", "action": "RunInstances", "input": {...}}'
// Prints one JSON line: {"ok": true, "output": ...} or
// {"ok": false, "name": ..., "Code": ..., "message": ..., "httpStatusCode": ...}; exits 0 either way
// (a failure to run at all is a non-zero exit with the stack on stderr).
// only the client called is loaded: each takes most of a second to import
const SERVICES = {
  ec2: async () => [await import("@aws-sdk/client-ec2"), "EC2Client"],
  sts: async () => [await import("@aws-sdk/client-sts"), "STSClient"],
};

const request = JSON.parse(process.argv[2]);
const [module, clientName] = await SERVICES[request.service]();
const Client = module[clientName];
const Command = module[`${request.action}Command`];
if (!Command) throw new Error(`no ${request.action}Command in the ${request.service} client`);
const client = new Client({
  endpoint: request.endpoint,
  region: request.region,
  credentials: {
    accessKeyId: request.accessKeyId,
    secretAccessKey: request.secretAccessKey,
    sessionToken: request.sessionToken ?? undefined,
  },
  maxAttempts: 1, // an error is the answer under test, not something to retry
});
let result;
try {
  const output = await client.send(new Command(request.input ?? {}));
  result = { ok: true, output };
} catch (error) {
  if (!error.$metadata) throw error; // not a service answer: let it fail loudly
  result = {
    ok: false,
    name: error.name,
    Code: error.Code ?? null,
    message: error.message,
    httpStatusCode: error.$metadata.httpStatusCode,
  };
}
process.stdout.write(JSON.stringify(result) + "\n");
