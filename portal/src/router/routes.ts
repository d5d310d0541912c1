// The one route table: every page under the layout, its menu title and the roles that may see
// it ([] = every signed-in account). The side menu and the route guard both read it, so adding
// a page is one entry here plus its view (see CONTRIBUTING.md, "Portal").
import type { RouteComponent } from 'vue-router'
import type { Role } from '@/gql/graphql'

export interface PageEntry {
  /** Path under the layout, without the leading slash ('' is 首页). */
  path: string
  name: string
  /** The menu label. */
  title: string
  roles: readonly Role[]
  component: () => Promise<RouteComponent>
  /** False for pages reached by a link rather than from the menu. */
  inMenu?: boolean
}

const PEOPLE_WITH_TASKS: readonly Role[] = [
  'staff', 'department_head', 'office', 'supervising_leader', 'principal_leader',
]

// Whoever rates others from a management post (peers rate too, from the staff's own pages).
const RATERS: readonly Role[] = ['department_head', 'supervising_leader', 'principal_leader']

const LEADERS: readonly Role[] = ['principal_leader', 'supervising_leader']

// The city organization department's screens: nobody of a unit sees them (its admin neither).
const CITY: readonly Role[] = ['city_organization_department']

export const pages: readonly PageEntry[] = [
  { path: '', name: 'home', title: '首页', roles: [],
    component: () => import('@/views/HomeView.vue') },
  { path: 'my-tasks', name: 'my-tasks', title: '我的任务', roles: PEOPLE_WITH_TASKS,
    component: () => import('@/views/MyTasksView.vue') },
  { path: 'declaration', name: 'declaration', title: '实绩申报', roles: PEOPLE_WITH_TASKS,
    component: () => import('@/views/DeclarationView.vue') },
  { path: 'my-results', name: 'my-results', title: '我的考核结果', roles: PEOPLE_WITH_TASKS,
    component: () => import('@/views/MyResultsView.vue') },
  { path: 'my-interviews', name: 'my-interviews', title: '反馈谈话', roles: PEOPLE_WITH_TASKS,
    component: () => import('@/views/MyInterviewsView.vue') },
  { path: 'my-indicators', name: 'my-indicators', title: '我的指标', roles: PEOPLE_WITH_TASKS,
    component: () => import('@/views/MyIndicatorsView.vue') },
  { path: 'publicity', name: 'publicity', title: '实绩公示', roles: PEOPLE_WITH_TASKS,
    component: () => import('@/views/PublicityView.vue') },
  { path: 'duty-report', name: 'duty-report', title: '年度述职', roles: PEOPLE_WITH_TASKS,
    component: () => import('@/views/MyDutyReportView.vue') },
  { path: 'ballot', name: 'ballot', title: '民主测评', roles: PEOPLE_WITH_TASKS,
    component: () => import('@/views/BallotView.vue') },
  { path: 'board', name: 'board', title: '点赞/错情', roles: PEOPLE_WITH_TASKS,
    component: () => import('@/views/BoardView.vue') },
  { path: 'notifications', name: 'notifications', title: '消息通知', roles: [], inMenu: false,
    component: () => import('@/views/NotificationsView.vue') },
  { path: 'change-password', name: 'change-password', title: '修改密码', roles: [], inMenu: false,
    component: () => import('@/views/ChangePasswordView.vue') },
  { path: 'managed-people', name: 'managed-people', title: '我管理的人员', roles: ['department_head'],
    component: () => import('@/views/ManagedPeopleView.vue') },
  { path: 'task-decompose', name: 'task-decompose', title: '任务分解', roles: ['department_head'],
    component: () => import('@/views/TaskDecomposeView.vue') },
  { path: 'rating', name: 'rating', title: '评价', roles: RATERS,
    component: () => import('@/views/RatingGridView.vue') },
  { path: 'interviews', name: 'interviews', title: '谈话记录', roles: ['department_head'],
    component: () => import('@/views/InterviewsView.vue') },
  { path: 'care-list', name: 'care-list', title: '关爱名单', roles: ['department_head'],
    component: () => import('@/views/CareListView.vue') },
  { path: 'office/supervision', name: 'office-supervision', title: '督办', roles: ['office'],
    component: () => import('@/views/SupervisionView.vue') },
  { path: 'office/commendations', name: 'office-commendations', title: '点赞/错情登记',
    roles: ['office'], component: () => import('@/views/CommendationsView.vue') },
  { path: 'office/credit-claims', name: 'office-credit-claims', title: '待确认加分',
    roles: ['office'], component: () => import('@/views/CreditClaimsView.vue') },
  { path: 'office/point-proposals', name: 'point-proposals', title: '待确认扣分/加分',
    roles: ['office', 'tenant_admin'], component: () => import('@/views/PointProposalsView.vue') },
  { path: 'push-rules', name: 'push-rules', title: '自动采集规则', roles: ['tenant_admin', 'office'],
    component: () => import('@/views/PushRulesView.vue') },
  { path: 'org', name: 'org', title: '组织架构', roles: ['tenant_admin'],
    component: () => import('@/views/OrgView.vue') },
  { path: 'admin/people', name: 'admin-people', title: '人员', roles: ['tenant_admin'],
    component: () => import('@/views/PeopleView.vue') },
  { path: 'admin/roster', name: 'admin-roster', title: '花名册导入', roles: ['tenant_admin'],
    component: () => import('@/views/RosterImportView.vue') },
  { path: 'admin/schemes', name: 'admin-schemes', title: '指标体系', roles: ['tenant_admin'],
    component: () => import('@/views/SchemesView.vue') },
  { path: 'admin/letters', name: 'admin-letters', title: '岗位责任书', roles: ['tenant_admin'],
    component: () => import('@/views/LettersView.vue') },
  { path: 'admin/tasks', name: 'admin-tasks', title: '目标任务', roles: ['tenant_admin'],
    component: () => import('@/views/PlanTasksView.vue') },
  { path: 'periods', name: 'periods', title: '考核周期', roles: ['tenant_admin'],
    component: () => import('@/views/PeriodsView.vue') },
  { path: 'review', name: 'review', title: '综合研判', roles: ['tenant_admin'],
    component: () => import('@/views/ReviewView.vue') },
  { path: 'calibration', name: 'calibration', title: '校准分析',
    roles: ['tenant_admin', 'principal_leader'],
    component: () => import('@/views/CalibrationView.vue') },
  { path: 'duty-reports', name: 'duty-reports', title: '述职报告', roles: ['tenant_admin', ...RATERS],
    component: () => import('@/views/DutyReportsView.vue') },
  { path: 'democratic-votes', name: 'democratic-votes', title: '民主测评管理', roles: ['tenant_admin'],
    component: () => import('@/views/DemocraticVotesView.vue') },
  // 逐级审核 (issue 17): the levels of the sign-off chain other than the tenant admin, whose
  // 综合研判 page shows the chain too.
  { path: 'signoff', name: 'signoff', title: '逐级审核',
    roles: ['principal_leader', 'supervising_leader', 'department_head'],
    component: () => import('@/views/SignoffView.vue') },
  // The committee (the review's roles) answers objections raised within the publicity period.
  { path: 'objections', name: 'objections', title: '异议处理', roles: ['tenant_admin', 'principal_leader'],
    component: () => import('@/views/ObjectionsView.vue') },
  { path: 'results-use', name: 'results-use', title: '结果运用', roles: ['tenant_admin'],
    component: () => import('@/views/ResultsUseView.vue') },
  { path: 'bonus', name: 'bonus', title: '绩效奖金', roles: ['tenant_admin'],
    component: () => import('@/views/BonusView.vue') },
  { path: 'reports', name: 'reports', title: '报表导出', roles: ['tenant_admin'],
    component: () => import('@/views/ReportsView.vue') },
  // Accounts for whoever manages them (security administrator), API tokens for the system
  // administrator (authz/policy.csv); the page shows each its own tab.
  { path: 'admin/accounts', name: 'admin-accounts', title: '账号与角色',
    roles: ['tenant_admin', 'security_admin', 'system_admin'],
    component: () => import('@/views/AccountsView.vue') },
  { path: 'admin/settings', name: 'admin-settings', title: '单位设置',
    roles: ['tenant_admin', 'system_admin'],
    component: () => import('@/views/SettingsView.vue') },
  { path: 'admin/audit', name: 'admin-audit', title: '审计日志', roles: ['tenant_admin', 'audit_admin'],
    component: () => import('@/views/AuditView.vue') },
  { path: 'dashboard', name: 'dashboard', title: '领导看板', roles: LEADERS,
    component: () => import('@/views/LeaderDashboardView.vue') },
  { path: 'city/comparison', name: 'city-comparison', title: '横向比较', roles: CITY,
    component: () => import('@/views/CityComparisonView.vue') },
  { path: 'city/reports', name: 'city-reports', title: '经验交流', roles: CITY,
    component: () => import('@/views/CityReportsView.vue') },
  { path: 'city/units', name: 'city-units', title: '单位管理', roles: CITY,
    component: () => import('@/views/CityUnitsView.vue') },
]
