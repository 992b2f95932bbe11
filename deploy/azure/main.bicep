// attestbot on Azure: a user-assigned managed identity, Azure Cache for
// Redis, a Container Apps environment with the attestbot Container App, and
// an Azure Bot with the Microsoft Teams channel.
//
//   az deployment group create -g attestbot-rg -f deploy/azure/main.bicep \
//     -p botAppId=<Entra app ID> tenantId=<tenant ID> teamsAppId=<Teams app ID> \
//        image=ghcr.io/attestbot/attestbot:1.0.0 admins=<UPNs> \
//     -p botAppPassword=@secret.txt
//
// The bot's app registration (and its Graph permissions) is created
// beforehand: see deploy/README.md.

targetScope = 'resourceGroup'

@description('Base name of every resource.')
@minLength(3)
@maxLength(20)
param name string = 'attestbot'

@description('Azure region of every resource except the bot, which is global.')
param location string = resourceGroup().location

@description('Container image of attestbot.')
param image string = 'ghcr.io/attestbot/attestbot:latest'

@description('Entra app (client) ID of the bot: MicrosoftAppId.')
param botAppId string

@description('Client secret of the bot app registration: MicrosoftAppPassword.')
@secure()
param botAppPassword string

@description('MicrosoftAppType: SingleTenant or MultiTenant.')
@allowed([
  'SingleTenant'
  'MultiTenant'
])
param botAppType string = 'SingleTenant'

@description('Entra tenant ID of the bot app registration: MicrosoftAppTenantId.')
param tenantId string = subscription().tenantId

@description('Teams app ID of attestbot\'s app package (manifest id): ATTESTBOT_TEAMS_APP_ID.')
param teamsAppId string

@description('Tenant IDs served, comma separated (empty: the bot\'s own tenant only when SingleTenant).')
param allowedTenants string = ''

@description('Admins (Entra object IDs or UPNs), comma separated: ATTESTBOT_ADMINS.')
param admins string = ''

@description('Catalog sources, comma separated (directories or git URLs): ATTESTBOT_SOURCE.')
param catalogSource string = 'https://github.com/MicrosoftDocs/OfficeDocs-AppCompliance-pr.fr-FR.git'

@description('How often the catalog is synced (Go duration).')
param syncInterval string = '1h'

@description('Minimum and maximum replicas of the Container App.')
param minReplicas int = 2
param maxReplicas int = 5

@description('Azure Bot pricing tier.')
@allowed([
  'F0'
  'S1'
])
param botSku string = 'S1'

var suffix = uniqueString(resourceGroup().id, name)

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${name}-id'
  location: location
}

resource redis 'Microsoft.Cache/redis@2024-03-01' = {
  name: '${name}-redis-${suffix}'
  location: location
  properties: {
    // C0 (250 MB, replicated): the full public-size catalog measured 30 MB
    // of Redis memory, history adds about as much again (docs/performance.md).
    sku: {
      name: 'Standard'
      family: 'C'
      capacity: 0
    }
    enableNonSslPort: false
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
    redisVersion: '6'
  }
}

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${name}-logs-${suffix}'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: '${name}-env'
  location: location
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: logs.properties.customerId
        sharedKey: logs.listKeys().primarySharedKey
      }
    }
  }
}

// The Redis URL carries the access key, so it is a secret too: the app
// reads it from a file (ATTESTBOT_STORE_FILE).
var redisUrl = 'rediss://:${redis.listKeys().primaryKey}@${redis.properties.hostName}:${redis.properties.sslPort}/0'

resource app 'Microsoft.App/containerApps@2024-03-01' = {
  name: name
  location: location
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    managedEnvironmentId: environment.id
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        external: true
        targetPort: 3978
        transport: 'http'
        allowInsecure: false
      }
      secrets: [
        {
          name: 'microsoft-app-password'
          value: botAppPassword
        }
        {
          name: 'attestbot-store'
          value: redisUrl
        }
      ]
    }
    template: {
      containers: [
        {
          name: 'attestbot'
          image: image
          args: [
            'serve'
          ]
          // Sized from measurements (docs/performance.md, 2026-12-04): with
          // the full public-size catalog RSS 75-87 MiB after start, 146-161
          // MiB under load, 253 MiB peak while the catalog loads under a
          // 320 MiB GOMEMLIMIT; 0.14-0.28 ms CPU per reply on one core.
          // 0.25 vCPU / 0.5 Gi is the smallest Container Apps size above
          // that; GOMEMLIMIT below follows the memory.
          resources: {
            cpu: json('0.25')
            memory: '0.5Gi'
          }
          env: [
            {
              name: 'GOMEMLIMIT'
              value: '512MiB'
            }
            {
              name: 'MicrosoftAppId'
              value: botAppId
            }
            {
              name: 'MicrosoftAppPassword_FILE'
              value: '/run/secrets/attestbot/microsoft-app-password'
            }
            {
              name: 'MicrosoftAppType'
              value: botAppType
            }
            {
              name: 'MicrosoftAppTenantId'
              value: tenantId
            }
            {
              name: 'ATTESTBOT_LISTEN'
              value: '0.0.0.0:3978'
            }
            {
              name: 'ATTESTBOT_STORE_FILE'
              value: '/run/secrets/attestbot/attestbot-store'
            }
            {
              name: 'ATTESTBOT_SOURCE'
              value: catalogSource
            }
            {
              name: 'ATTESTBOT_SYNC_INTERVAL'
              value: syncInterval
            }
            {
              name: 'ATTESTBOT_ALLOWED_TENANTS'
              value: allowedTenants
            }
            {
              name: 'ATTESTBOT_ADMINS'
              value: admins
            }
            {
              name: 'ATTESTBOT_TEAMS_APP_ID'
              value: teamsAppId
            }
            {
              name: 'ATTESTBOT_PUBLIC_URL'
              value: 'https://${name}.${environment.properties.defaultDomain}'
            }
            {
              name: 'ATTESTBOT_LOG_LEVEL'
              value: 'info'
            }
            {
              name: 'ATTESTBOT_LOG_FORMAT'
              value: 'json'
            }
          ]
          probes: [
            {
              type: 'Liveness'
              httpGet: {
                path: '/healthz'
                port: 3978
              }
              periodSeconds: 10
              failureThreshold: 3
            }
            {
              type: 'Readiness'
              httpGet: {
                path: '/readyz'
                port: 3978
              }
              periodSeconds: 5
              failureThreshold: 2
            }
          ]
          volumeMounts: [
            {
              volumeName: 'secrets'
              mountPath: '/run/secrets/attestbot'
            }
            {
              volumeName: 'data'
              mountPath: '/data'
            }
          ]
        }
      ]
      volumes: [
        {
          name: 'secrets'
          storageType: 'Secret'
        }
        {
          name: 'data'
          storageType: 'EmptyDir'
        }
      ]
      scale: {
        minReplicas: minReplicas
        maxReplicas: maxReplicas
        rules: [
          {
            name: 'http'
            http: {
              metadata: {
                concurrentRequests: '50'
              }
            }
          }
        ]
      }
    }
  }
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: '${name}-${suffix}'
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: name
    endpoint: 'https://${app.properties.configuration.ingress.fqdn}/api/messages'
    msaAppId: botAppId
    msaAppType: botAppType
    msaAppTenantId: botAppType == 'SingleTenant' ? tenantId : null
    disableLocalAuth: false
  }
}

resource teams 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
      enableCalling: false
    }
  }
}

@description('Public URL of the bot (ATTESTBOT_PUBLIC_URL and the manifest validDomains).')
output publicUrl string = 'https://${app.properties.configuration.ingress.fqdn}'

@description('Messaging endpoint registered on the Azure Bot.')
output messagingEndpoint string = bot.properties.endpoint

@description('Client ID of the user-assigned managed identity (for a federated credential on the bot app registration).')
output identityClientId string = identity.properties.clientId
