-- IDT-CRED-001 in SQL: identities that called at least 4 distinct SES /
-- Secrets Manager probing actions within 30 minutes. {input} is replaced by
-- the NDJSON path. The identity is the ARN, else the principal id (identrail's
-- identity key); the action is the service prefix of eventSource and eventName.
WITH probes AS (
  SELECT coalesce(json_extract_string(userIdentity, '$.arn'),
                  json_extract_string(userIdentity, '$.principalId')) AS who,
         CAST(eventTime AS TIMESTAMP) AS t,
         split_part(eventSource, '.', 1) || ':' || eventName AS action
  FROM read_json('{input}', format = 'newline_delimited',
                 columns = {eventTime: 'VARCHAR', eventSource: 'VARCHAR', eventName: 'VARCHAR', userIdentity: 'JSON'})
  WHERE eventName IN ('GetSendQuota', 'ListIdentities', 'GetSendStatistics', 'ListVerifiedEmailAddresses',
                      'GetAccountSendingEnabled', 'GetAccount', 'ListSecrets')
    AND split_part(eventSource, '.', 1) || ':' || eventName IN
        ('ses:GetSendQuota', 'ses:ListIdentities', 'ses:GetSendStatistics', 'ses:ListVerifiedEmailAddresses',
         'ses:GetAccountSendingEnabled', 'ses:GetAccount', 'secretsmanager:ListSecrets')
)
SELECT DISTINCT a.who
FROM probes a JOIN probes b ON a.who = b.who AND b.t BETWEEN a.t AND a.t + INTERVAL 30 MINUTE
GROUP BY a.who, a.t
HAVING count(DISTINCT b.action) >= 4
ORDER BY 1;
