# The alliance kind's models were first part of the `filings` app (filings 0002). They
# move to this app without touching a row: this migration only takes them into this
# app's state, on the tables they have; filings 0006 lets go of them, and 0002 here
# renames the tables to this app's names.

import django.db.models.deletion
import filings.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('filings', '0005_queue_indexes'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='AllianceDetail',
                    fields=[
                        ('filing', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, primary_key=True, related_name='alliance', serialize=False, to='filings.filing')),
                        ('contact_name', models.CharField(blank=True, max_length=50, verbose_name='联系人')),
                        ('contact_title', models.CharField(blank=True, max_length=100, verbose_name='单位及职务')),
                        ('contact_phone', models.CharField(blank=True, max_length=30, validators=[filings.validators.validate_phone], verbose_name='固定电话')),
                        ('contact_mobile', models.CharField(blank=True, max_length=20, validators=[filings.validators.validate_mobile], verbose_name='移动电话')),
                        ('contact_email', models.CharField(blank=True, max_length=254, validators=[filings.validators.validate_email], verbose_name='电子邮箱')),
                        ('name', models.CharField(blank=True, max_length=200, verbose_name='联盟名称')),
                        ('address', models.CharField(blank=True, max_length=200, verbose_name='通讯地址')),
                        ('postcode', models.CharField(blank=True, max_length=6, validators=[filings.validators.validate_postcode], verbose_name='邮编')),
                        ('founded_on', models.DateField(blank=True, null=True, verbose_name='成立时间')),
                        ('industry', models.CharField(blank=True, max_length=100, verbose_name='所属产业领域')),
                        ('alliance_type', models.CharField(blank=True, choices=[('enterprise', '企业法人式'), ('social', '社会团体式'), ('cooperative', '合作组织式'), ('other', '其他形态')], max_length=16, verbose_name='联盟类型')),
                        ('corp_name', models.CharField(blank=True, max_length=200, verbose_name='企业名称')),
                        ('corp_legal_rep', models.CharField(blank=True, max_length=50, verbose_name='法人代表')),
                        ('corp_phone', models.CharField(blank=True, max_length=30, validators=[filings.validators.validate_phone], verbose_name='联系电话')),
                        ('chair_name', models.CharField(blank=True, max_length=50, verbose_name='联盟理事长/协会会长')),
                        ('chair_phone', models.CharField(blank=True, max_length=30, validators=[filings.validators.validate_phone], verbose_name='联系电话')),
                        ('chair_title', models.CharField(blank=True, max_length=100, verbose_name='单位及职务')),
                        ('secretary_name', models.CharField(blank=True, max_length=50, verbose_name='联盟秘书长')),
                        ('secretary_phone', models.CharField(blank=True, max_length=30, validators=[filings.validators.validate_phone], verbose_name='联系电话')),
                        ('secretary_title', models.CharField(blank=True, max_length=100, verbose_name='单位及职务')),
                        ('head_name', models.CharField(blank=True, max_length=50, verbose_name='负责人')),
                        ('head_phone', models.CharField(blank=True, max_length=30, validators=[filings.validators.validate_phone], verbose_name='联系电话')),
                        ('head_title', models.CharField(blank=True, max_length=100, verbose_name='单位及职务')),
                        ('std_international', models.PositiveIntegerField(blank=True, null=True, verbose_name='国际标准')),
                        ('std_national', models.PositiveIntegerField(blank=True, null=True, verbose_name='国家标准')),
                        ('std_industry', models.PositiveIntegerField(blank=True, null=True, verbose_name='行业标准')),
                        ('count_enterprise', models.PositiveIntegerField(blank=True, null=True, verbose_name='企业')),
                        ('count_university', models.PositiveIntegerField(blank=True, null=True, verbose_name='高等学校')),
                        ('count_institute', models.PositiveIntegerField(blank=True, null=True, verbose_name='科研机构')),
                        ('count_service', models.PositiveIntegerField(blank=True, null=True, verbose_name='服务机构')),
                        ('count_financial', models.PositiveIntegerField(blank=True, null=True, verbose_name='金融机构')),
                        ('patent_office_name', models.CharField(blank=True, max_length=200, verbose_name='专利管理机构名称')),
                        ('patent_staff_count', models.PositiveIntegerField(blank=True, null=True, verbose_name='专职管理人员数量')),
                        ('funding_source', models.CharField(blank=True, max_length=500, verbose_name='经费来源')),
                        ('cnipa_filed', models.BooleanField(default=False, verbose_name='已在国家知识产权局备案')),
                        ('third_party_operated', models.BooleanField(default=False, verbose_name='由专业服务机构第三方运作')),
                        ('tasks_text', models.TextField(blank=True, verbose_name='三、联盟任务')),
                        ('operation_text', models.TextField(blank=True, verbose_name='四、联盟运行')),
                        ('pool_text', models.TextField(blank=True, verbose_name='五、专利池运营')),
                        ('declarant_name', models.CharField(blank=True, max_length=50, verbose_name='负责人')),
                        ('declaration_accepted', models.BooleanField(default=False, verbose_name='本单位保证所提供资料的真实有效，并承担因虚报材料可能引起的一切后果。')),
                    ],
                    options={
                        'db_table': 'filings_alliancedetail',
                        'verbose_name': '联盟备案申请书',
                        'verbose_name_plural': '联盟备案申请书',
                    },
                ),
                migrations.CreateModel(
                    name='AllianceMember',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('category', models.CharField(choices=[('enterprise', '企业'), ('university', '高等学校'), ('institute', '科研机构'), ('service', '服务机构'), ('financial', '金融机构')], max_length=16, verbose_name='类别')),
                        ('position', models.PositiveIntegerField(default=0, verbose_name='序号')),
                        ('name', models.CharField(max_length=200, verbose_name='单位名称')),
                        ('amount', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='金额（万元）')),
                        ('inventions', models.PositiveIntegerField(blank=True, null=True, verbose_name='发明')),
                        ('utility_models', models.PositiveIntegerField(blank=True, null=True, verbose_name='新型')),
                        ('designs', models.PositiveIntegerField(blank=True, null=True, verbose_name='外观')),
                        ('main_business', models.CharField(blank=True, max_length=300, verbose_name='主营业务')),
                        ('pool_role', models.CharField(blank=True, choices=[('contributes', '以自有专利加入专利池'), ('licensed', '取得专利池许可'), ('none', '尚未加入或取得许可')], max_length=16, verbose_name='与专利池的关系')),
                        ('filing', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='alliance_members', to='filings.filing')),
                    ],
                    options={
                        'db_table': 'filings_alliancemember',
                        'verbose_name': '联盟成员',
                        'verbose_name_plural': '联盟成员',
                        'ordering': ['filing', 'category', 'position', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='PatentPool',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('position', models.PositiveIntegerField(default=0, verbose_name='序号')),
                        ('name', models.CharField(max_length=200, verbose_name='专利池（或专利组合）名称')),
                        ('chain_node', models.CharField(max_length=200, verbose_name='围绕的产业链重要节点')),
                        ('patent_count', models.PositiveIntegerField(verbose_name='专利数量（件）')),
                        ('description', models.CharField(max_length=500, verbose_name='简要说明')),
                        ('filing', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='patent_pools', to='filings.filing')),
                    ],
                    options={
                        'db_table': 'filings_patentpool',
                        'verbose_name': '专利池',
                        'verbose_name_plural': '专利池',
                        'ordering': ['filing', 'position', 'id'],
                    },
                ),
            ],
        ),
    ]
