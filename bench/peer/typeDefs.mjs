// The peer's schema: the part of the credit graph that the benchmark page reads, with the read rule of policy.polar
// for records as @authorization filters. Two rules, OR'd by the library:
//
//   anonymous (and everyone): disclosable, and PUBLIC_NOTICE, or SUBJECT_PUBLISHED with publishedBySubjectAt set;
//   an AGENCY with a purpose (JWT claims role, unit, purpose, categories): disclosable, and GOVERNMENT_SHARING in one
//     of the purpose's categories, or AUTHORIZED_QUERY / SUBJECT_PUBLISHED under a consent of the record's subject
//     to the agency's unit, for that purpose and the record's category, in force now.
//
// Filter values are not coerced to Date (a "$jwt.today" stays a string, and Neo4j compares no string with a date),
// so the disclosure window is a @cypher field that reads the day in China itself, as the API does (china_now). The
// consent test compares the record's category with a list on the consent, which no filter input can say: it is a
// @cypher field too, reading the claims as $jwt.
//
// "A purpose is declared" is not in the agency rule: `jwt: { NOT: { purpose: { eq: null } } }` compiles to
// `NOT ($jwt.purpose IS NOT NULL AND $jwt.purpose = NULL)`, null whatever the claim, so the rule never held. Without
// a purpose a token has no categories and no consent can match its purpose, so the rule reads nothing either way.
//
// Subjects carry no rule: the page lists legal persons, whom every viewer may find and see unmasked.
// Read-only (@mutation(operations: [])): the peer serves reads over the project's store and can change nothing.
// Relationships are lists: @neo4j/graphql 7 has no single-node relationship fields.

const TODAY = "date({timezone: 'Asia/Shanghai'})";

export const typeDefs = /* GraphQL */ `
  type JWT @jwt {
    role: String
    unit: String
    purpose: String
    categories: [String!]
  }

  type Subject @node @mutation(operations: []) {
    id: String!
    code: String!
    name: String!
    kind: String!
    region: String
    records: [Record!]! @relationship(type: "ABOUT", direction: IN)
  }

  type Record
    @node
    @mutation(operations: [])
    @authorization(
      filter: [
        {
          requireAuthentication: false
          where: {
            node: {
              status: { eq: "ACTIVE" }
              inDisclosureWindow: { eq: true }
              OR: [
                { disclosureMode: { eq: "PUBLIC_NOTICE" } }
                { disclosureMode: { eq: "SUBJECT_PUBLISHED" }, NOT: { publishedBySubjectAt: { eq: null } } }
              ]
            }
          }
        }
        {
          where: {
            jwt: { role: { eq: "AGENCY" } }
            node: {
              status: { eq: "ACTIVE" }
              inDisclosureWindow: { eq: true }
              OR: [
                { disclosureMode: { eq: "GOVERNMENT_SHARING" }, category: { in: "$jwt.categories" } }
                { disclosureMode: { in: ["AUTHORIZED_QUERY", "SUBJECT_PUBLISHED"] }, consentedToViewer: { eq: true } }
              ]
            }
          }
        }
      ]
    ) {
    id: String!
    title: String!
    category: String!
    status: String!
    disclosureMode: String!
    confirmedAt: Date!
    disclosureUntil: Date
    publishedBySubjectAt: DateTime
    inDisclosureWindow: Boolean!
      @cypher(
        statement: """
        WITH this, ${TODAY} AS today
        RETURN this.confirmedAt <= today AND (this.disclosureUntil IS NULL OR this.disclosureUntil >= today) AS inWindow
        """
        columnName: "inWindow"
      )
    consentedToViewer: Boolean!
      @cypher(
        statement: """
        RETURN EXISTS {
          MATCH (this)-[:ABOUT]->(:Subject)<-[:GRANTED_BY]-(c:Consent)
          WHERE c.granteeCode = $jwt.unit AND c.purpose = $jwt.purpose AND c.status = 'ACTIVE'
            AND c.validFrom <= datetime() AND c.validUntil >= datetime() AND this.category IN c.categories
        } AS consented
        """
        columnName: "consented"
      )
    subject: [Subject!]! @relationship(type: "ABOUT", direction: OUT)
    provider: [Provider!]! @relationship(type: "PROVIDED_BY", direction: OUT)
    documents: [Document!]! @relationship(type: "BASED_ON", direction: OUT)
  }

  type Provider @node @mutation(operations: []) {
    id: String!
    code: String!
    name: String!
  }

  type Document @node @mutation(operations: []) {
    id: String!
    type: String!
    number: String!
    issuedAt: Date!
    status: String!
    issuer: [Provider!]! @relationship(type: "ISSUED_BY", direction: OUT)
  }
`;
