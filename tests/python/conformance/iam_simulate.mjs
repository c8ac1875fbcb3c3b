// Runs cases through @cloud-copilot/iam-simulate, the independent evaluator
// identrail is cross-checked against. Reads a JSON array of cases from the file
// given as the first argument and prints one result per case:
// "Allowed", "ExplicitlyDenied", "ImplicitlyDenied" or "error: ...".
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(process.env.IAM_SIMULATE_DIR + '/')
const { runSimulation } = require('@cloud-copilot/iam-simulate')

const cases = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const results = []
for (const c of cases) {
  const simulation = {
    identityPolicies: c.identity.map((policy, i) => ({ name: `identity${i}`, policy: JSON.parse(policy) })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    permissionBoundaryPolicies: c.boundary.map((policy, i) => ({ name: `boundary${i}`, policy: JSON.parse(policy) })),
    request: {
      action: c.action,
      principal: c.principal,
      resource: { accountId: c.account, resource: c.resource },
      contextVariables: c.context,
    },
  }
  if (simulation.permissionBoundaryPolicies.length === 0) delete simulation.permissionBoundaryPolicies
  try {
    const response = await runSimulation(simulation, {})
    results.push(response.resultType === 'error' ? 'error: ' + JSON.stringify(response.errors) : response.overallResult)
  } catch (e) {
    results.push('error: ' + e.message)
  }
}
process.stdout.write(JSON.stringify(results))
